using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace B2BPortal.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class BatchStatusCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Invitations_Status",
                table: "Invitations");

            migrationBuilder.CreateTable(
                name: "BatchStatusCounts",
                columns: table => new
                {
                    BatchId = table.Column<Guid>(type: "uuid", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BatchStatusCounts", x => new { x.BatchId, x.Status });
                    table.ForeignKey(
                        name: "FK_BatchStatusCounts_Batches_BatchId",
                        column: x => x.BatchId,
                        principalTable: "Batches",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Statement-level triggers with transition tables: one aggregate per statement, so a 50,000-row COPY or a
            // bulk cancel costs one upsert per (batch, status), and an update that changes no status touches no count
            // row (HAVING) — lease renewals and tracker writes never wait on each other here. Count rows are upserted
            // in (BatchId, Status) order so two transactions always lock them in the same order (no deadlock).
            migrationBuilder.Sql("""
                CREATE FUNCTION "BatchStatusCounts_Apply"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        INSERT INTO "BatchStatusCounts" ("BatchId", "Status", "Count")
                        SELECT "BatchId", "Status", count(*) FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2
                        ON CONFLICT ("BatchId", "Status") DO UPDATE SET "Count" = "BatchStatusCounts"."Count" + EXCLUDED."Count";
                    ELSIF TG_OP = 'UPDATE' THEN
                        INSERT INTO "BatchStatusCounts" ("BatchId", "Status", "Count")
                        SELECT "BatchId", "Status", sum(d) FROM (
                            SELECT "BatchId", "Status", 1 AS d FROM new_rows
                            UNION ALL
                            SELECT "BatchId", "Status", -1 FROM old_rows) AS moved
                        GROUP BY 1, 2 HAVING sum(d) <> 0 ORDER BY 1, 2
                        ON CONFLICT ("BatchId", "Status") DO UPDATE SET "Count" = "BatchStatusCounts"."Count" + EXCLUDED."Count";
                    ELSE
                        -- Rows deleted with their batch: the batch's counts went with it (cascade), nothing to insert.
                        UPDATE "BatchStatusCounts" AS c SET "Count" = c."Count" - gone.n
                        FROM (SELECT "BatchId", "Status", count(*) AS n FROM old_rows GROUP BY 1, 2 ORDER BY 1, 2) AS gone
                        WHERE c."BatchId" = gone."BatchId" AND c."Status" = gone."Status";
                    END IF;
                    RETURN NULL;
                END $$;

                CREATE TRIGGER "Invitations_CountInserted" AFTER INSERT ON "Invitations"
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "BatchStatusCounts_Apply"();
                CREATE TRIGGER "Invitations_CountUpdated" AFTER UPDATE ON "Invitations"
                    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "BatchStatusCounts_Apply"();
                CREATE TRIGGER "Invitations_CountDeleted" AFTER DELETE ON "Invitations"
                    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "BatchStatusCounts_Apply"();

                INSERT INTO "BatchStatusCounts" ("BatchId", "Status", "Count")
                SELECT "BatchId", "Status", count(*) FROM "Invitations" GROUP BY 1, 2;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER "Invitations_CountInserted" ON "Invitations";
                DROP TRIGGER "Invitations_CountUpdated" ON "Invitations";
                DROP TRIGGER "Invitations_CountDeleted" ON "Invitations";
                DROP FUNCTION "BatchStatusCounts_Apply"();
                """);

            migrationBuilder.DropTable(
                name: "BatchStatusCounts");

            migrationBuilder.CreateIndex(
                name: "IX_Invitations_Status",
                table: "Invitations",
                column: "Status");
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace B2BPortal.Web.Data.Migrations.Sqlite
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
                    BatchId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false)
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

            // SQLite has row-level triggers only: one upsert per row, fine for the embedded single-user database.
            migrationBuilder.Sql("""
                CREATE TRIGGER "Invitations_CountInserted" AFTER INSERT ON "Invitations"
                BEGIN
                    INSERT INTO "BatchStatusCounts" ("BatchId", "Status", "Count") VALUES (NEW."BatchId", NEW."Status", 1)
                    ON CONFLICT ("BatchId", "Status") DO UPDATE SET "Count" = "Count" + 1;
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Invitations_CountUpdated" AFTER UPDATE OF "Status", "BatchId" ON "Invitations"
                WHEN OLD."Status" <> NEW."Status" OR OLD."BatchId" <> NEW."BatchId"
                BEGIN
                    UPDATE "BatchStatusCounts" SET "Count" = "Count" - 1 WHERE "BatchId" = OLD."BatchId" AND "Status" = OLD."Status";
                    INSERT INTO "BatchStatusCounts" ("BatchId", "Status", "Count") VALUES (NEW."BatchId", NEW."Status", 1)
                    ON CONFLICT ("BatchId", "Status") DO UPDATE SET "Count" = "Count" + 1;
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Invitations_CountDeleted" AFTER DELETE ON "Invitations"
                BEGIN
                    UPDATE "BatchStatusCounts" SET "Count" = "Count" - 1 WHERE "BatchId" = OLD."BatchId" AND "Status" = OLD."Status";
                END;
                """);
            migrationBuilder.Sql("""
                INSERT INTO "BatchStatusCounts" ("BatchId", "Status", "Count")
                SELECT "BatchId", "Status", count(*) FROM "Invitations" GROUP BY 1, 2;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "Invitations_CountInserted";""");
            migrationBuilder.Sql("""DROP TRIGGER "Invitations_CountUpdated";""");
            migrationBuilder.Sql("""DROP TRIGGER "Invitations_CountDeleted";""");

            migrationBuilder.DropTable(
                name: "BatchStatusCounts");

            migrationBuilder.CreateIndex(
                name: "IX_Invitations_Status",
                table: "Invitations",
                column: "Status");
        }
    }
}

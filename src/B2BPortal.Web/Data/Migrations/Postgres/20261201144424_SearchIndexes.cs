using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace B2BPortal.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Invitations_Pending",
                table: "Invitations",
                columns: new[] { "BatchId", "InvitedAt" },
                filter: "\"Status\" = 'Invited'");

            // The batch page's search is LIKE '%term%' on the address and the lower-cased name (BatchQueries.InvitationsOf):
            // trigram indexes answer it without reading every row of a 50,000-row batch. pg_trgm ships with PostgreSQL
            // (contrib) and is a trusted extension, so the database owner may create it; Azure Database for PostgreSQL
            // allows it too.
            migrationBuilder.Sql("""
                CREATE EXTENSION IF NOT EXISTS pg_trgm;
                CREATE INDEX "IX_Invitations_EmailSearch" ON "Invitations" USING gin ("NormalizedEmail" gin_trgm_ops);
                CREATE INDEX "IX_Invitations_NameSearch" ON "Invitations" USING gin (lower("DisplayName") gin_trgm_ops);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX "IX_Invitations_EmailSearch";
                DROP INDEX "IX_Invitations_NameSearch";
                """);

            migrationBuilder.DropIndex(
                name: "IX_Invitations_Pending",
                table: "Invitations");
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace B2BPortal.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class BatchPageIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Invitations_BatchId_RowNumber",
                table: "Invitations");

            migrationBuilder.CreateIndex(
                name: "IX_Invitations_BatchId_RowNumber",
                table: "Invitations",
                columns: new[] { "BatchId", "RowNumber" },
                unique: true)
                .Annotation("Npgsql:IndexInclude", new[] { "NormalizedEmail", "DisplayName" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Invitations_BatchId_RowNumber",
                table: "Invitations");

            migrationBuilder.CreateIndex(
                name: "IX_Invitations_BatchId_RowNumber",
                table: "Invitations",
                columns: new[] { "BatchId", "RowNumber" },
                unique: true);
        }
    }
}

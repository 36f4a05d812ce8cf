using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace B2BPortal.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InvitationSearchName : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Invitations_BatchId_RowNumber",
                table: "Invitations");

            migrationBuilder.AddColumn<string>(
                name: "SearchName",
                table: "Invitations",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true,
                computedColumnSql: "lower(\"DisplayName\")",
                stored: true);

            migrationBuilder.CreateIndex(
                name: "IX_Invitations_BatchId_RowNumber",
                table: "Invitations",
                columns: new[] { "BatchId", "RowNumber" },
                unique: true)
                .Annotation("Npgsql:IndexInclude", new[] { "NormalizedEmail", "SearchName" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Invitations_BatchId_RowNumber",
                table: "Invitations");

            migrationBuilder.DropColumn(
                name: "SearchName",
                table: "Invitations");

            migrationBuilder.CreateIndex(
                name: "IX_Invitations_BatchId_RowNumber",
                table: "Invitations",
                columns: new[] { "BatchId", "RowNumber" },
                unique: true)
                .Annotation("Npgsql:IndexInclude", new[] { "NormalizedEmail", "DisplayName" });
        }
    }
}

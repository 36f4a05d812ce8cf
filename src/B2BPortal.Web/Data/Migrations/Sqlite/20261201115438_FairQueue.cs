using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace B2BPortal.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FairQueue : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Invitations_FairQueue",
                table: "Invitations",
                columns: new[] { "RowNumber", "Id" },
                filter: "\"Status\" = 'Queued'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Invitations_FairQueue",
                table: "Invitations");
        }
    }
}

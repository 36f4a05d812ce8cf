using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace B2BPortal.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DashboardIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Invitations_AcceptedAt",
                table: "Invitations",
                column: "AcceptedAt",
                filter: "\"AcceptedAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Invitations_InvitedAt",
                table: "Invitations",
                column: "InvitedAt",
                filter: "\"InvitedAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Invitations_Status",
                table: "Invitations",
                column: "Status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Invitations_AcceptedAt",
                table: "Invitations");

            migrationBuilder.DropIndex(
                name: "IX_Invitations_InvitedAt",
                table: "Invitations");

            migrationBuilder.DropIndex(
                name: "IX_Invitations_Status",
                table: "Invitations");
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace B2BPortal.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class GuestCleanup : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ReinvitedAt",
                table: "Invitations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "RemovedAt",
                table: "Invitations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RemovedReason",
                table: "Invitations",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "RestoredAt",
                table: "Invitations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Invitations_Guests",
                table: "Invitations",
                columns: new[] { "GraphUserId", "Id" },
                filter: "\"GraphUserId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Invitations_Guests",
                table: "Invitations");

            migrationBuilder.DropColumn(
                name: "ReinvitedAt",
                table: "Invitations");

            migrationBuilder.DropColumn(
                name: "RemovedAt",
                table: "Invitations");

            migrationBuilder.DropColumn(
                name: "RemovedReason",
                table: "Invitations");

            migrationBuilder.DropColumn(
                name: "RestoredAt",
                table: "Invitations");
        }
    }
}

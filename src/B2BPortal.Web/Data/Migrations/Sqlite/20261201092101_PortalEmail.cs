using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace B2BPortal.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PortalEmail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "EmailDueAt",
                table: "Invitations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EmailError",
                table: "Invitations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "EmailLeaseUntil",
                table: "Invitations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "EmailSentAt",
                table: "Invitations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Email",
                table: "Batches",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "Microsoft");

            migrationBuilder.CreateIndex(
                name: "IX_Invitations_EmailQueue",
                table: "Invitations",
                column: "EmailDueAt",
                filter: "\"EmailDueAt\" IS NOT NULL AND \"EmailSentAt\" IS NULL AND \"EmailError\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Invitations_EmailQueue",
                table: "Invitations");

            migrationBuilder.DropColumn(
                name: "EmailDueAt",
                table: "Invitations");

            migrationBuilder.DropColumn(
                name: "EmailError",
                table: "Invitations");

            migrationBuilder.DropColumn(
                name: "EmailLeaseUntil",
                table: "Invitations");

            migrationBuilder.DropColumn(
                name: "EmailSentAt",
                table: "Invitations");

            migrationBuilder.DropColumn(
                name: "Email",
                table: "Batches");
        }
    }
}

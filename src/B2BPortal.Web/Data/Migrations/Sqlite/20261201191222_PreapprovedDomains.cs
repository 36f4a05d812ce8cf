using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace B2BPortal.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PreapprovedDomains : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PreapprovedDomains",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Domain = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    RedirectUrl = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    GroupIds = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    AppIds = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Message = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    AddedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    AddedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PreapprovedDomains", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PreapprovedDomains_Domain",
                table: "PreapprovedDomains",
                column: "Domain",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PreapprovedDomains");
        }
    }
}

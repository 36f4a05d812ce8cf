using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace B2BPortal.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DomainPolicySettings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PolicySettings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    ConsumerDomains = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    ConsumerDomainList = table.Column<string>(type: "text", nullable: true),
                    AllowedDomains = table.Column<string>(type: "text", nullable: true),
                    BlockedDomains = table.Column<string>(type: "text", nullable: true),
                    RedirectHosts = table.Column<string>(type: "text", nullable: true),
                    UpdatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PolicySettings", x => x.Id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PolicySettings");
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace B2BPortal.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AccessRequests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SponsorId",
                table: "Invitations",
                type: "TEXT",
                maxLength: 128,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AccessRequests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    RequesterObjectId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    RequesterName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Justification = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    RequestedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    DecidedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DecisionComment = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    BatchId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessRequests", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AccessRequestPartners",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AccessRequestId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    Email = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Company = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Language = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    GroupIds = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    AppIds = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessRequestPartners", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AccessRequestPartners_AccessRequests_AccessRequestId",
                        column: x => x.AccessRequestId,
                        principalTable: "AccessRequests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AccessRequestPartners_AccessRequestId_Position",
                table: "AccessRequestPartners",
                columns: new[] { "AccessRequestId", "Position" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AccessRequests_RequesterObjectId_RequestedAt",
                table: "AccessRequests",
                columns: new[] { "RequesterObjectId", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AccessRequests_Status_RequestedAt",
                table: "AccessRequests",
                columns: new[] { "Status", "RequestedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AccessRequestPartners");

            migrationBuilder.DropTable(
                name: "AccessRequests");

            migrationBuilder.DropColumn(
                name: "SponsorId",
                table: "Invitations");
        }
    }
}

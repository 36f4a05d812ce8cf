using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace B2BPortal.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AdminTokenCache : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CacheEntries",
                columns: table => new
                {
                    Key = table.Column<string>(type: "character varying(449)", maxLength: 449, nullable: false),
                    Value = table.Column<byte[]>(type: "bytea", nullable: false),
                    ExpiresAtMs = table.Column<long>(type: "bigint", nullable: false),
                    SlidingExpirationMs = table.Column<long>(type: "bigint", nullable: true),
                    AbsoluteExpirationMs = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CacheEntries", x => x.Key);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CacheEntries_ExpiresAtMs",
                table: "CacheEntries",
                column: "ExpiresAtMs");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CacheEntries");
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace B2BPortal.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class BatchSender : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PausedReason",
                table: "Batches",
                type: "TEXT",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SenderObjectId",
                table: "Batches",
                type: "TEXT",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SenderTenantId",
                table: "Batches",
                type: "TEXT",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SentAs",
                table: "Batches",
                type: "TEXT",
                maxLength: 256,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PausedReason",
                table: "Batches");

            migrationBuilder.DropColumn(
                name: "SenderObjectId",
                table: "Batches");

            migrationBuilder.DropColumn(
                name: "SenderTenantId",
                table: "Batches");

            migrationBuilder.DropColumn(
                name: "SentAs",
                table: "Batches");
        }
    }
}

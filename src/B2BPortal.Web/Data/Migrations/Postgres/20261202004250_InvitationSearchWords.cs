using Microsoft.EntityFrameworkCore.Migrations;
using NpgsqlTypes;

#nullable disable

namespace B2BPortal.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InvitationSearchWords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Invitations_BatchId_RowNumber",
                table: "Invitations");

            migrationBuilder.DropColumn(
                name: "SearchName",
                table: "Invitations");

            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:btree_gin", ",,");

            migrationBuilder.AddColumn<NpgsqlTsVector>(
                name: "SearchVector",
                table: "Invitations",
                type: "tsvector",
                nullable: true,
                computedColumnSql: "to_tsvector('simple', translate((\"NormalizedEmail\" || ' ' || coalesce(\"DisplayName\", '')), '.@-_+'',;:()/\\\"&!?*<>|[]{}=#$%^~`‘’', '                                  '))",
                stored: true);

            migrationBuilder.CreateIndex(
                name: "IX_Invitations_BatchId_RowNumber",
                table: "Invitations",
                columns: new[] { "BatchId", "RowNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Invitations_Search",
                table: "Invitations",
                columns: new[] { "BatchId", "SearchVector" })
                .Annotation("Npgsql:IndexMethod", "GIN");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Invitations_BatchId_RowNumber",
                table: "Invitations");

            migrationBuilder.DropIndex(
                name: "IX_Invitations_Search",
                table: "Invitations");

            migrationBuilder.DropColumn(
                name: "SearchVector",
                table: "Invitations");

            migrationBuilder.AlterDatabase()
                .OldAnnotation("Npgsql:PostgresExtension:btree_gin", ",,");

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
    }
}

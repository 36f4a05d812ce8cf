using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace B2BPortal.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InvitationSearchWords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // ALTER TABLE … DROP COLUMN, not EF's rebuild of the table, which would drop the triggers that keep
            // BatchStatusCounts exact.
            migrationBuilder.Sql("ALTER TABLE \"Invitations\" DROP COLUMN \"SearchName\";");

            migrationBuilder.AddColumn<string>(
                name: "SearchWords",
                table: "Invitations",
                type: "TEXT",
                nullable: true,
                computedColumnSql: "replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace((\"NormalizedEmail\" || ' ' || coalesce(\"DisplayName\", '')), '.', ' '), '@', ' '), '-', ' '), '_', ' '), '+', ' '), '''', ' '), ',', ' '), ';', ' '), ':', ' '), '(', ' '), ')', ' '), '/', ' '), '\\', ' '), '\"', ' '), '&', ' '), '!', ' '), '?', ' '), '*', ' '), '<', ' '), '>', ' '), '|', ' '), '[', ' '), ']', ' '), '{', ' '), '}', ' '), '=', ' '), '#', ' '), '$', ' '), '%', ' '), '^', ' '), '~', ' '), '`', ' '), '‘', ' '), '’', ' ')",
                stored: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE \"Invitations\" DROP COLUMN \"SearchWords\";");

            migrationBuilder.AddColumn<string>(
                name: "SearchName",
                table: "Invitations",
                type: "TEXT",
                maxLength: 256,
                nullable: true,
                computedColumnSql: "lower(\"DisplayName\")",
                stored: false);
        }
    }
}

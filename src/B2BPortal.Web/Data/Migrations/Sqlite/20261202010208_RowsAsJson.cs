using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace B2BPortal.Web.Data.Migrations.Sqlite
{
    /// <summary>
    /// Group and app IDs from space-separated text to the JSON arrays EF's primitive collections keep in SQLite (the column
    /// stays TEXT). Existing rows are converted, not dropped: the portal wrote the IDs separated by single spaces, and no
    /// ID holds a space, so the text JSON-quoted (json_quote escapes anything an ID written by hand might hold) and split
    /// at its spaces is the array. The row errors' column is already JSON text with the names the new mapping reads
    /// ("column", "message") and is left as it is. Down joins the arrays back into space-separated text.
    /// </summary>
    public partial class RowsAsJson : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE "Invitations" SET "AppIds" = CASE WHEN trim("AppIds") = '' THEN NULL
                    ELSE '[' || replace(json_quote(trim("AppIds")), ' ', '","') || ']' END
                WHERE "AppIds" IS NOT NULL;
                """);
            migrationBuilder.Sql("""
                UPDATE "Invitations" SET "GroupIds" = CASE WHEN trim("GroupIds") = '' THEN NULL
                    ELSE '[' || replace(json_quote(trim("GroupIds")), ' ', '","') || ']' END
                WHERE "GroupIds" IS NOT NULL;
                """);
            migrationBuilder.Sql("""
                UPDATE "AccessRequestPartners" SET "AppIds" = CASE WHEN trim("AppIds") = '' THEN NULL
                    ELSE '[' || replace(json_quote(trim("AppIds")), ' ', '","') || ']' END
                WHERE "AppIds" IS NOT NULL;
                """);
            migrationBuilder.Sql("""
                UPDATE "AccessRequestPartners" SET "GroupIds" = CASE WHEN trim("GroupIds") = '' THEN NULL
                    ELSE '[' || replace(json_quote(trim("GroupIds")), ' ', '","') || ']' END
                WHERE "GroupIds" IS NOT NULL;
                """);
            migrationBuilder.Sql("""
                UPDATE "PreapprovedDomains" SET "AppIds" = CASE WHEN trim("AppIds") = '' THEN NULL
                    ELSE '[' || replace(json_quote(trim("AppIds")), ' ', '","') || ']' END
                WHERE "AppIds" IS NOT NULL;
                """);
            migrationBuilder.Sql("""
                UPDATE "PreapprovedDomains" SET "GroupIds" = CASE WHEN trim("GroupIds") = '' THEN NULL
                    ELSE '[' || replace(json_quote(trim("GroupIds")), ' ', '","') || ']' END
                WHERE "GroupIds" IS NOT NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE "Invitations" SET "AppIds" = (SELECT group_concat(value, ' ') FROM json_each("Invitations"."AppIds"))
                WHERE "AppIds" IS NOT NULL;
                """);
            migrationBuilder.Sql("""
                UPDATE "Invitations" SET "GroupIds" = (SELECT group_concat(value, ' ') FROM json_each("Invitations"."GroupIds"))
                WHERE "GroupIds" IS NOT NULL;
                """);
            migrationBuilder.Sql("""
                UPDATE "AccessRequestPartners" SET "AppIds" = (SELECT group_concat(value, ' ') FROM json_each("AccessRequestPartners"."AppIds"))
                WHERE "AppIds" IS NOT NULL;
                """);
            migrationBuilder.Sql("""
                UPDATE "AccessRequestPartners" SET "GroupIds" = (SELECT group_concat(value, ' ') FROM json_each("AccessRequestPartners"."GroupIds"))
                WHERE "GroupIds" IS NOT NULL;
                """);
            migrationBuilder.Sql("""
                UPDATE "PreapprovedDomains" SET "AppIds" = (SELECT group_concat(value, ' ') FROM json_each("PreapprovedDomains"."AppIds"))
                WHERE "AppIds" IS NOT NULL;
                """);
            migrationBuilder.Sql("""
                UPDATE "PreapprovedDomains" SET "GroupIds" = (SELECT group_concat(value, ' ') FROM json_each("PreapprovedDomains"."GroupIds"))
                WHERE "GroupIds" IS NOT NULL;
                """);
        }
    }
}

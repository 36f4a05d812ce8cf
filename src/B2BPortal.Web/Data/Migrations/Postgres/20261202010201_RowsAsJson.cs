using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace B2BPortal.Web.Data.Migrations.Postgres
{
    /// <summary>
    /// Group and app IDs from space-separated text to text[], row errors from hand-written JSON text to jsonb. Existing
    /// rows are converted, not dropped: an ID list is split where the text had separators (the portal wrote single spaces;
    /// commas, semicolons and whitespace are taken too), an empty one becomes NULL; the errors' JSON was written with
    /// camelCase names ("column", "message"), which is what the new mapping reads, so it is cast as it is. One ALTER TABLE
    /// per table, so each table is rewritten once. Down turns them back into the text the earlier code reads.
    /// </summary>
    public partial class RowsAsJson : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE "Invitations"
                    ALTER COLUMN "AppIds" TYPE text[] USING CASE WHEN btrim("AppIds", E' \t\r\n,;') = '' THEN NULL
                        ELSE regexp_split_to_array(btrim("AppIds", E' \t\r\n,;'), E'[ \t\r\n,;]+') END,
                    ALTER COLUMN "GroupIds" TYPE text[] USING CASE WHEN btrim("GroupIds", E' \t\r\n,;') = '' THEN NULL
                        ELSE regexp_split_to_array(btrim("GroupIds", E' \t\r\n,;'), E'[ \t\r\n,;]+') END,
                    ALTER COLUMN "ValidationErrors" TYPE jsonb USING "ValidationErrors"::jsonb;
                """);
            migrationBuilder.Sql("""
                ALTER TABLE "AccessRequestPartners"
                    ALTER COLUMN "AppIds" TYPE text[] USING CASE WHEN btrim("AppIds", E' \t\r\n,;') = '' THEN NULL
                        ELSE regexp_split_to_array(btrim("AppIds", E' \t\r\n,;'), E'[ \t\r\n,;]+') END,
                    ALTER COLUMN "GroupIds" TYPE text[] USING CASE WHEN btrim("GroupIds", E' \t\r\n,;') = '' THEN NULL
                        ELSE regexp_split_to_array(btrim("GroupIds", E' \t\r\n,;'), E'[ \t\r\n,;]+') END;
                """);
            migrationBuilder.Sql("""
                ALTER TABLE "PreapprovedDomains"
                    ALTER COLUMN "AppIds" TYPE text[] USING CASE WHEN btrim("AppIds", E' \t\r\n,;') = '' THEN NULL
                        ELSE regexp_split_to_array(btrim("AppIds", E' \t\r\n,;'), E'[ \t\r\n,;]+') END,
                    ALTER COLUMN "GroupIds" TYPE text[] USING CASE WHEN btrim("GroupIds", E' \t\r\n,;') = '' THEN NULL
                        ELSE regexp_split_to_array(btrim("GroupIds", E' \t\r\n,;'), E'[ \t\r\n,;]+') END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Lists back to single-space-separated text (within the old 4,000 characters: validation keeps a list to
            // 108 IDs), the errors back to JSON text with the same names.
            migrationBuilder.Sql("""
                ALTER TABLE "Invitations"
                    ALTER COLUMN "AppIds" TYPE character varying(4000) USING NULLIF(array_to_string("AppIds", ' '), ''),
                    ALTER COLUMN "GroupIds" TYPE character varying(4000) USING NULLIF(array_to_string("GroupIds", ' '), ''),
                    ALTER COLUMN "ValidationErrors" TYPE text USING "ValidationErrors"::text;
                """);
            migrationBuilder.Sql("""
                ALTER TABLE "AccessRequestPartners"
                    ALTER COLUMN "AppIds" TYPE character varying(4000) USING NULLIF(array_to_string("AppIds", ' '), ''),
                    ALTER COLUMN "GroupIds" TYPE character varying(4000) USING NULLIF(array_to_string("GroupIds", ' '), '');
                """);
            migrationBuilder.Sql("""
                ALTER TABLE "PreapprovedDomains"
                    ALTER COLUMN "AppIds" TYPE character varying(4000) USING NULLIF(array_to_string("AppIds", ' '), ''),
                    ALTER COLUMN "GroupIds" TYPE character varying(4000) USING NULLIF(array_to_string("GroupIds", ' '), '');
                """);
        }
    }
}

using B2BPortal.Web.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace B2BPortal.Web.Data.Migrations.Postgres
{
    /// <summary>
    /// Rows held for review were stored as Queued with NextAttemptAt 9999-12-31; they become Held (no schema change:
    /// statuses are stored by name). Hand-written: the model itself did not change, so there is no designer file.
    /// </summary>
    [DbContext(typeof(PostgresPortalDbContext))]
    [Migration("20261201090000_HeldStatus")]
    public partial class HeldStatus : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE "Invitations" SET "Status" = 'Held', "NextAttemptAt" = NULL
                WHERE "Status" = 'Queued' AND "NextAttemptAt" >= '9999-01-01'
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE "Invitations" SET "Status" = 'Queued', "NextAttemptAt" = '9999-12-31 00:00:00'
                WHERE "Status" = 'Held'
                """);
        }
    }
}

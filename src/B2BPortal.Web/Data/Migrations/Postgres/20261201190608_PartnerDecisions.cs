using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace B2BPortal.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PartnerDecisions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Decision",
                table: "AccessRequestPartners",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Pending");

            // Requests decided before partners were decided one by one: every partner shares the request's decision.
            migrationBuilder.Sql(
                "UPDATE \"AccessRequestPartners\" SET \"Decision\" = (SELECT CASE r.\"Status\" WHEN 'Approved' THEN 'Approved' " +
                "WHEN 'Rejected' THEN 'Rejected' ELSE 'Pending' END FROM \"AccessRequests\" r WHERE r.\"Id\" = \"AccessRequestPartners\".\"AccessRequestId\")");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Decision",
                table: "AccessRequestPartners");
        }
    }
}

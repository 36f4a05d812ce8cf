using Microsoft.EntityFrameworkCore.Design;

namespace B2BPortal.Web.Data;

// Used only by `dotnet ef` (migrations add/remove/script), so migrations never depend on Program.cs or on a
// reachable database. Regenerate with, from the repository root:
//   dotnet ef migrations add NAME --project src/B2BPortal.Web --context PostgresPortalDbContext --output-dir Data/Migrations/Postgres
//   dotnet ef migrations add NAME --project src/B2BPortal.Web --context SqlitePortalDbContext --output-dir Data/Migrations/Sqlite

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresPortalDbContext>
{
    public PostgresPortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresPortalDbContext>()
            .UseNpgsql("Host=localhost;Database=b2bportal_design")
            .Options);
}

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqlitePortalDbContext>
{
    public SqlitePortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlitePortalDbContext>()
            .UseSqlite("Data Source=b2bportal_design.db")
            .Options);
}

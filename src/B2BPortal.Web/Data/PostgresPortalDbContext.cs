using Microsoft.EntityFrameworkCore;

namespace B2BPortal.Web.Data;

/// <summary>
/// PostgreSQL (Npgsql): production and every integration test. Migrations in Data/Migrations/Postgres:
/// <c>dotnet ef migrations add NAME --project src/B2BPortal.Web --context PostgresPortalDbContext --output-dir Data/Migrations/Postgres</c>
/// (tool: <c>dotnet tool install --global dotnet-ef --version 10.0.15</c>; the design-time factory supplies the options).
/// </summary>
public sealed class PostgresPortalDbContext(DbContextOptions<PostgresPortalDbContext> options) : PortalDbContext(options);

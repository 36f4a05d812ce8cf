using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;
using NpgsqlTypes;

namespace B2BPortal.Web.Data;

/// <summary>
/// Stores the rows of an upload in one go (ARCHITECTURE.md decision 2: never one INSERT per row on PostgreSQL).
/// Runs on the context's own connection and inside its current transaction: the caller begins a transaction,
/// saves the <see cref="Batch"/>, calls this, then commits, so an upload is stored whole or not at all.
/// Only the invitations' own columns are written (set <see cref="Invitation.BatchId"/>; the Batch and Assignments
/// navigations are ignored), ids come from the database and are not read back.
/// </summary>
public static class InvitationBulkWriter
{
    // Small enough that the change tracker stays cheap, large enough that round trips do not dominate.
    private const int SqliteChunkSize = 2000;

    public static async Task InsertAsync(PortalDbContext db, IReadOnlyCollection<Invitation> invitations, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(invitations);
        if (invitations.Count == 0)
        {
            return;
        }

        if (db.IsPostgres())
        {
            await CopyAsync(db, invitations, ct).ConfigureAwait(false);
        }
        else
        {
            await InsertInChunksAsync(db, invitations, ct).ConfigureAwait(false);
        }
    }

    private static async Task CopyAsync(PortalDbContext db, IReadOnlyCollection<Invitation> invitations, CancellationToken ct)
    {
        var (table, columns) = DescribeTable(db);
        var copy = $"COPY {table} ({string.Join(", ", columns.Select(c => c.QuotedName))}) FROM STDIN (FORMAT BINARY)";

        await db.Database.OpenConnectionAsync(ct).ConfigureAwait(false);
        try
        {
            // The open transaction (if any) is on this connection, so COPY is part of it.
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            var importer = await connection.BeginBinaryImportAsync(copy, ct).ConfigureAwait(false);
            await using (importer.ConfigureAwait(false))
            {
                foreach (var invitation in invitations)
                {
                    await importer.StartRowAsync(ct).ConfigureAwait(false);
                    foreach (var column in columns)
                    {
                        await WriteAsync(importer, column.ProviderValue(invitation), ct).ConfigureAwait(false);
                    }
                }

                await importer.CompleteAsync(ct).ConfigureAwait(false);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    private static Task WriteAsync(NpgsqlBinaryImporter importer, object? value, CancellationToken ct) => value switch
    {
        null => importer.WriteNullAsync(ct),
        string s => importer.WriteAsync(s, NpgsqlDbType.Text, ct),
        DateTime d => importer.WriteAsync(d, NpgsqlDbType.TimestampTz, ct),
        Guid g => importer.WriteAsync(g, NpgsqlDbType.Uuid, ct),
        int i => importer.WriteAsync(i, NpgsqlDbType.Integer, ct),
        long l => importer.WriteAsync(l, NpgsqlDbType.Bigint, ct),
        bool b => importer.WriteAsync(b, NpgsqlDbType.Boolean, ct),
        _ => throw new NotSupportedException($"No COPY writer for {value.GetType().Name}; extend InvitationBulkWriter."),
    };

    /// <summary>Table and columns as the EF model names them, leaving out the database-generated key.</summary>
    private static (string Table, Column[] Columns) DescribeTable(PortalDbContext db)
    {
        var entityType = db.Model.FindEntityType(typeof(Invitation))
            ?? throw new InvalidOperationException("Invitation is not in the model.");
        var tableName = entityType.GetTableName() ?? throw new InvalidOperationException("Invitation is not mapped to a table.");
        var schema = entityType.GetSchema();
        var store = StoreObjectIdentifier.Table(tableName, schema);
        var sql = db.GetService<ISqlGenerationHelper>();

        var columns = entityType.GetProperties()
            .Where(p => !(p.IsPrimaryKey() && p.ValueGenerated != ValueGenerated.Never))
            .Select(p => new Column(
                sql.DelimitIdentifier(p.GetColumnName(store) ?? throw new InvalidOperationException($"{p.Name} has no column.")),
                p.GetGetter(),
                p.GetTypeMapping().Converter))
            .ToArray();
        return (sql.DelimitIdentifier(tableName, schema), columns);
    }

    private sealed record Column(string QuotedName, IClrPropertyGetter Getter, ValueConverter? Converter)
    {
        public object? ProviderValue(Invitation invitation)
        {
            var value = Getter.GetClrValue(invitation);
            return value is null || Converter is null ? value : Converter.ConvertToProvider(value);
        }
    }

    private static async Task InsertInChunksAsync(PortalDbContext db, IReadOnlyCollection<Invitation> invitations, CancellationToken ct)
    {
        var detectChanges = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            foreach (var chunk in invitations.Chunk(SqliteChunkSize))
            {
                db.Invitations.AddRange(chunk);
                await db.SaveChangesAsync(ct).ConfigureAwait(false);

                // Detach only what this call added: the caller's Batch stays tracked.
                foreach (var invitation in chunk)
                {
                    db.Entry(invitation).State = EntityState.Detached;
                }
            }
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detectChanges;
        }
    }
}

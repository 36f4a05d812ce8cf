using System.Buffers;
using System.Collections;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.Json;
using Npgsql;
using NpgsqlTypes;

namespace B2BPortal.Web.Data;

/// <summary>
/// Stores the rows of an upload in one go (docs/architecture.md decision 2: never one INSERT per row on PostgreSQL).
/// Runs on the context's own connection and inside its current transaction: the caller begins a transaction,
/// saves the <see cref="Batch"/>, calls this, then commits, so an upload is stored whole or not at all.
/// Without a caller's transaction the rows still go in all-or-nothing. Only the invitations' own columns are written
/// (set <see cref="Invitation.BatchId"/>; the Batch and Assignments navigations are ignored, nothing is tracked), ids
/// come from the database and are not read back. Times must be UTC (PostgreSQL refuses other kinds). Every column is
/// written as the EF model maps it: ID lists as text[] (PostgreSQL) or JSON text (SQLite), the row errors' JSON column as
/// jsonb or JSON text with the model's property names, so EF reads back exactly what it would have written itself.
/// </summary>
public static class InvitationBulkWriter
{
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
            await InsertPreparedAsync(db, invitations, ct).ConfigureAwait(false);
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
        JsonText j => importer.WriteAsync(j.Value, NpgsqlDbType.Jsonb, ct),
        List<string> list => importer.WriteAsync(list, NpgsqlDbType.Array | NpgsqlDbType.Text, ct),
        DateTime d => importer.WriteAsync(d, NpgsqlDbType.TimestampTz, ct),
        Guid g => importer.WriteAsync(g, NpgsqlDbType.Uuid, ct),
        int i => importer.WriteAsync(i, NpgsqlDbType.Integer, ct),
        long l => importer.WriteAsync(l, NpgsqlDbType.Bigint, ct),
        bool b => importer.WriteAsync(b, NpgsqlDbType.Boolean, ct),
        _ => throw new NotSupportedException($"No COPY writer for {value.GetType().Name}; extend InvitationBulkWriter."),
    };

    /// <summary>
    /// Table and columns as the EF model names them, leaving out the database-generated key: the scalar properties (ID
    /// lists among them, as primitive collections) and the complex collections mapped to JSON columns.
    /// </summary>
    private static (string Table, Column[] Columns) DescribeTable(PortalDbContext db)
    {
        var entityType = db.Model.FindEntityType(typeof(Invitation))
            ?? throw new InvalidOperationException("Invitation is not in the model.");
        var tableName = entityType.GetTableName() ?? throw new InvalidOperationException("Invitation is not mapped to a table.");
        var schema = entityType.GetSchema();
        var store = StoreObjectIdentifier.Table(tableName, schema);
        var table = db.Model.GetRelationalModel().FindTable(tableName, schema)
            ?? throw new InvalidOperationException($"{tableName} is not in the relational model.");
        var sql = db.GetService<ISqlGenerationHelper>();

        var scalars = entityType.GetProperties()
            .Where(p => !(p.IsPrimaryKey() && p.ValueGenerated != ValueGenerated.Never) && p.GetComputedColumnSql() is null)
            .Select(p => (Column)new ScalarColumn(
                sql.DelimitIdentifier(p.GetColumnName(store) ?? throw new InvalidOperationException($"{p.Name} has no column.")),
                p.GetRelationalTypeMapping(),
                p.GetGetter()));
        var json = entityType.GetComplexProperties()
            .Select(c =>
            {
                var name = c.ComplexType.GetContainerColumnName();
                if (!c.IsCollection || name is null || c.ComplexType.GetComplexProperties().Any())
                {
                    throw new NotSupportedException($"{c.Name}: only a JSON-mapped collection of flat complex types is written; extend InvitationBulkWriter.");
                }

                var column = table.FindColumn(name) ?? throw new InvalidOperationException($"{c.Name}'s column {name} is not in {tableName}.");
                return (Column)new JsonColumn(sql.DelimitIdentifier(name), column.StoreTypeMapping, c);
            });
        return (sql.DelimitIdentifier(tableName, schema), [.. scalars, .. json]);
    }

    private abstract record Column(string QuotedName, RelationalTypeMapping Mapping)
    {
        /// <summary>The value as the provider stores it.</summary>
        public abstract object? ProviderValue(Invitation invitation);
    }

    private sealed record ScalarColumn(string QuotedName, RelationalTypeMapping Mapping, IClrPropertyGetter Getter) : Column(QuotedName, Mapping)
    {
        /// <summary>
        /// Through the mapping's converter: enums as their names, SQLite times as UTC, SQLite ID lists as JSON text (on
        /// PostgreSQL a list has no converter and goes to COPY as the text[] it is).
        /// </summary>
        public override object? ProviderValue(Invitation invitation)
        {
            var value = Getter.GetClrValue(invitation);
            return value is null || Mapping.Converter is null ? value : Mapping.Converter.ConvertToProvider(value);
        }
    }

    /// <summary>
    /// A complex collection's JSON column, serialized the way EF does it: an array of objects, each property under its
    /// model JSON name, each value through the property's own <see cref="JsonValueReaderWriter"/> (what EF's update
    /// pipeline and materializer use), so nothing here decides a name or a format of its own.
    /// </summary>
    private sealed record JsonColumn : Column
    {
        private readonly IClrPropertyGetter _collection;
        private readonly (JsonEncodedText Name, IClrPropertyGetter Getter, JsonValueReaderWriter Writer)[] _properties;

        public JsonColumn(string quotedName, RelationalTypeMapping mapping, IComplexProperty collection)
            : base(quotedName, mapping)
        {
            _collection = collection.GetGetter();
            _properties = [.. collection.ComplexType.GetProperties().Select(p => (
                JsonEncodedText.Encode(p.GetJsonPropertyName() ?? p.Name),
                p.GetGetter(),
                p.GetJsonValueReaderWriter() ?? p.GetTypeMapping().JsonValueReaderWriter
                    ?? throw new NotSupportedException($"{collection.Name}.{p.Name} has no JSON reader/writer; extend InvitationBulkWriter.")))];
        }

        public override object? ProviderValue(Invitation invitation)
        {
            if (_collection.GetClrValue(invitation) is not IEnumerable elements)
            {
                return null;
            }

            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartArray();
                foreach (var element in elements)
                {
                    writer.WriteStartObject();
                    foreach (var (name, getter, json) in _properties)
                    {
                        writer.WritePropertyName(name);
                        if (getter.GetClrValue(element) is { } value)
                        {
                            json.ToJson(writer, value);
                        }
                        else
                        {
                            writer.WriteNullValue();
                        }
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            return new JsonText(Encoding.UTF8.GetString(buffer.WrittenSpan));
        }
    }

    /// <summary>A JSON document as text: COPY writes it as jsonb, SQLite's parameter takes the text.</summary>
    private sealed record JsonText(string Value);

    // SQLite has no COPY: one prepared INSERT executed per row inside one transaction is its fastest path, and the
    // parameters come from the EF type mappings so values are stored exactly as EF itself stores them (Guid as text …).
    private static async Task InsertPreparedAsync(PortalDbContext db, IReadOnlyCollection<Invitation> invitations, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct).ConfigureAwait(false);
        try
        {
            if (db.Database.CurrentTransaction is { } current)
            {
                await InsertRowsAsync(db, current.GetDbTransaction(), invitations, ct).ConfigureAwait(false);
                return;
            }

            // Without a caller's transaction, one of our own keeps the rows all-or-nothing (and spares a sync per row).
            var own = await db.Database.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (own.ConfigureAwait(false))
            {
                await InsertRowsAsync(db, own.GetDbTransaction(), invitations, ct).ConfigureAwait(false);
                await own.CommitAsync(ct).ConfigureAwait(false);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    private static async Task InsertRowsAsync(PortalDbContext db, DbTransaction transaction, IReadOnlyCollection<Invitation> invitations, CancellationToken ct)
    {
        var (table, columns) = DescribeTable(db);
        var command = db.Database.GetDbConnection().CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            var parameters = new DbParameter[columns.Length];
            for (var n = 0; n < columns.Length; n++)
            {
                parameters[n] = columns[n].Mapping.CreateParameter(command, $"@p{n}", value: null, nullable: true);
                command.Parameters.Add(parameters[n]);
            }

            command.CommandText =
                $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.QuotedName))}) VALUES ({string.Join(", ", parameters.Select(p => p.ParameterName))})";
            await command.PrepareAsync(ct).ConfigureAwait(false);

            foreach (var invitation in invitations)
            {
                for (var n = 0; n < columns.Length; n++)
                {
                    parameters[n].Value = columns[n].ProviderValue(invitation) switch
                    {
                        null => DBNull.Value,
                        JsonText json => json.Value,
                        var value => value,
                    };
                }

                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }
    }
}

using Npgsql;

namespace B2BPortal.Web.Tests.Data;

/// <summary>The indexes the pages and the queue rely on exist in PostgreSQL as intended (partial where it helps).</summary>
public sealed class PostgresSchemaTests(PostgresDatabaseFixture fixture) : IClassFixture<PostgresDatabaseFixture>
{
    [Theory]
    [InlineData("Invitations", "IX_Invitations_BatchId_Status_RowNumber", "(\"BatchId\", \"Status\", \"RowNumber\")", null)]
    [InlineData("Invitations", "IX_Invitations_BatchId_RowNumber", "UNIQUE INDEX", null)]
    [InlineData("Invitations", "IX_Invitations_NormalizedEmail_Status", "(\"NormalizedEmail\", \"Status\")", null)]
    [InlineData("Invitations", "IX_Invitations_Queue", "(\"Status\", \"NextAttemptAt\")", "WHERE ((\"Status\")::text = 'Queued'::text)")]
    [InlineData("Invitations", "IX_Invitations_Leases", "(\"Status\", \"LeaseExpiresAt\")", "WHERE ((\"Status\")::text = 'Sending'::text)")]
    [InlineData("Invitations", "IX_Invitations_Tracker", "(\"Status\", \"InvitedAt\")", "WHERE ((\"Status\")::text = 'Invited'::text)")]
    [InlineData("Invitations", "IX_Invitations_Guests", "(\"GraphUserId\", \"Id\")", "WHERE (\"GraphUserId\" IS NOT NULL)")]
    [InlineData("Batches", "IX_Batches_UploadedAt", "(\"UploadedAt\" DESC)", null)]
    [InlineData("AuditEntries", "IX_AuditEntries_At", "(\"At\" DESC)", null)]
    [InlineData("AuditEntries", "IX_AuditEntries_BatchId", "(\"BatchId\")", null)]
    [InlineData("InvitationAssignments", "IX_InvitationAssignments_InvitationId_Kind_TargetId", "UNIQUE INDEX", null)]
    public async Task Migration_CreatesIndex(string table, string index, string expectedPart, string? expectedFilter)
    {
        var definition = await IndexDefinitionAsync(table, index);

        Assert.NotNull(definition);
        Assert.Contains(expectedPart, definition, StringComparison.Ordinal);
        if (expectedFilter is null)
        {
            Assert.DoesNotContain(" WHERE ", definition, StringComparison.Ordinal);
        }
        else
        {
            Assert.EndsWith(expectedFilter, definition, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Migration_MakesInvitationIdAnIdentityColumn()
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT is_identity FROM information_schema.columns WHERE table_name = 'Invitations' AND column_name = 'Id'", connection);

        Assert.Equal("YES", await command.ExecuteScalarAsync());
    }

    private async Task<string?> IndexDefinitionAsync(string table, string index)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = @table AND indexname = @index", connection);
        command.Parameters.AddWithValue("table", table);
        command.Parameters.AddWithValue("index", index);
        return (string?)await command.ExecuteScalarAsync();
    }
}

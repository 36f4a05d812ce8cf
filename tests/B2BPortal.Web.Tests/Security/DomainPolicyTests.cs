namespace B2BPortal.Web.Tests.Security;

/// <summary>
/// A portal that invites only fabrikam.example and its subdomains plus partner.example, never
/// blocked.partner.example, and no personal addresses; the lists given as one comma-separated value, as on a command line.
/// </summary>
public sealed class DomainPolicyPortalFactory : PortalFactory
{
    public DomainPolicyPortalFactory()
    {
        With("Portal:Policy:AllowedDomains", "fabrikam.example, *.fabrikam.example, partner.example, gmail.com");
        With("Portal:Policy:BlockedDomains:0", "blocked.partner.example");
        With("Portal:Policy:BlockedDomains:1", "partner.example");
        With("Portal:Policy:ConsumerDomains", "Deny");
    }
}

/// <summary>
/// The partner-domain policy (Portal:Policy:AllowedDomains, BlockedDomains, ConsumerDomains): a row outside it is
/// Invalid at upload with the reason and the setting, so nobody outside the policy is ever sent an invitation.
/// </summary>
public sealed class DomainPolicyTests(DomainPolicyPortalFactory portal) : IClassFixture<DomainPolicyPortalFactory>
{
    [Fact]
    public async Task Upload_AddressesOutsideThePolicy_AreInvalidNamingTheSetting()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var run = Guid.NewGuid().ToString("N")[..8];
        var csv = "Email,DisplayName,InviteContactUsUrl\n" +
            $"a{run}@fabrikam.example,A,https://c.example/\n" +
            $"b{run}@eu.fabrikam.example,B,https://c.example/\n" +
            $"c{run}@partner.example,C,https://c.example/\n" +
            $"d{run}@contoso-partner.example,D,https://c.example/\n" +
            $"e{run}@GMAIL.com,E,https://c.example/\n";

        var rows = await RedirectPolicyUpload.UploadAsync(client, csv);

        Assert.Equal(["Held", "Held", "Invalid", "Invalid", "Invalid"], rows.Select(r => r.Status));
        Assert.All(rows.Skip(2), r => Assert.Equal("Email", Assert.Single(r.Errors).Column));
        Assert.StartsWith($"Row 4, Email: 'c{run}@partner.example' is at partner.example, a domain this portal does not invite (Portal:Policy:BlockedDomains)",
            rows[2].Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("not among the partner domains this portal invites", rows[3].Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("Portal:Policy:AllowedDomains", rows[3].Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("personal address at gmail.com", rows[4].Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("ask the partner for their work address", rows[4].Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SingleInvitation_BlockedDomain_Gets400AndNothingIsQueued()
    {
        using var client = await portal.CreateAutomationClientAsync();

        var response = await client.PostAsJsonAsync("/api/v1/invitations", new { email = $"s{Guid.NewGuid():N}@blocked.partner.example" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
        Assert.Contains("a domain this portal does not invite (Portal:Policy:BlockedDomains)", detail, StringComparison.Ordinal);
    }
}

/// <summary>Without a domain policy (the default), any domain is invited, personal addresses included.</summary>
public sealed class DefaultDomainPolicyTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Upload_NoPolicyConfigured_PersonalAndAnyPartnerAddressAreValid()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var run = Guid.NewGuid().ToString("N")[..8];
        var csv = "Email,DisplayName,InviteContactUsUrl\n" +
            $"a{run}@gmail.com,A,https://c.example/\n" +
            $"b{run}@any-partner.example,B,https://c.example/\n";

        var rows = await RedirectPolicyUpload.UploadAsync(client, csv);

        Assert.Equal(["Held", "Held"], rows.Select(r => r.Status));
    }
}

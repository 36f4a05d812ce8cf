using System.Text.Json.Nodes;
using B2BPortal.Simulator.Tests.TestSupport;

namespace B2BPortal.Simulator.Tests.Graph;

/// <summary>
/// The properties Graph returns without $select, in Graph's order: the portal and its tests read these shapes, so a change
/// to how the simulator lists them must not change what it sends.
/// </summary>
public sealed class DefaultPropertiesTests(SimulatorFixture tenant) : IClassFixture<SimulatorFixture>
{
    [Theory]
    [InlineData("/users/admin@contoso.onmicrosoft.com",
        "businessPhones,displayName,givenName,jobTitle,mail,mobilePhone,officeLocation,preferredLanguage,surname,userPrincipalName,id")]
    [InlineData("/groups/6b1f0c2a-1002-4c00-9000-000000000002", "id,displayName,description,groupTypes,mailEnabled,securityEnabled")]
    [InlineData("/servicePrincipals/d7e2f1c3-3001-4b00-b000-000000000001",
        "id,appId,displayName,accountEnabled,servicePrincipalType,appRoleAssignmentRequired,appRoles,info")]
    [InlineData("/applications/a9b8c7d6-5001-4e00-e000-000000000001", "id,appId,displayName,publisherDomain,signInAudience,info")]
    public async Task GetById_WithoutSelect_ReturnsGraphsDefaultPropertiesInOrder(string path, string properties)
    {
        using var response = await tenant.SendGraphAsync(HttpMethod.Get, path, token: await tenant.TokenAsync());
        response.EnsureSuccessStatusCode();

        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        Assert.Equal(["@odata.context", .. properties.Split(',')], json.Select(p => p.Key));
    }
}

using B2BPortal.Web.Hosting.Telemetry;

namespace B2BPortal.Web.Tests.Telemetry;

public sealed class GraphOperationTests
{
    [Theory]
    [InlineData("POST", "https://graph.microsoft.com/v1.0/invitations", "POST /invitations")]
    [InlineData("GET", "https://graph.microsoft.com/v1.0/users?$filter=mail%20eq%20'ann@fabrikam.example'", "GET /users")]
    [InlineData("POST", "https://graph.microsoft.com/v1.0/groups/6f1c2b8e-0000-4000-8000-000000000001/members/$ref", "POST /groups/{id}/members/$ref")]
    [InlineData("POST", "https://graph.microsoft.com/v1.0/servicePrincipals/6f1c2b8e-0000-4000-8000-000000000002/appRoleAssignedTo", "POST /servicePrincipals/{id}/appRoleAssignedTo")]
    [InlineData("POST", "http://127.0.0.1:5123/_tenant/graph/v1.0/$batch", "POST /$batch")]
    [InlineData("GET", "https://graph.microsoft.com/v1.0/users/ann@fabrikam.example", "GET /users/{id}")]
    public void Of_GraphUrl_KeepsResourceNamesAndHidesEveryId(string method, string url, string expected) =>
        Assert.Equal(expected, GraphOperation.Of(method, new Uri(url)));
}

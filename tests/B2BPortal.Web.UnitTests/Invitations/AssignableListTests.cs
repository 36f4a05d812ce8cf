using B2BPortal.Web.Data;
using B2BPortal.Web.Invitations;
using B2BPortal.Web.Invitations.Csv;

namespace B2BPortal.Web.UnitTests.Invitations;

/// <summary>The row rule for the assignable list (issue 11): the message names the row, the column, the ID and the fix.</summary>
public class AssignableListTests
{
    private const string Listed = "0f9a4c1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b";
    private const string ListedApp = "cd3ed3de-93ee-400b-8b19-b61ef44a0f29";
    private const string Unlisted = "11111111-2222-4333-8444-555555555555";

    private static readonly AssignableList _list = new(
    [
        new AssignableTarget { Kind = AssignableKind.Group, TargetId = Listed, DisplayName = "Partners", AddedBy = "admin", AddedAt = DateTime.UnixEpoch },
        new AssignableTarget { Kind = AssignableKind.Application, TargetId = ListedApp, DisplayName = "Extranet", AddedBy = "admin", AddedAt = DateTime.UnixEpoch },
    ]);

    private static InvitationRowValidator Validator(RowRules rules = RowRules.File) =>
        InvitationRowValidator.For(CsvFormat.Legacy, rules, RedirectUrlPolicy.From(new PortalPolicyOptions()), null, _list);

    private static InvitationRow Row(string? apps = null, string? groups = null) =>
        new(5, "ann@fabrikam.com", "Ann", "https://contoso.com/contact", null, apps, groups, null, null, null, null);

    [Fact]
    public void Check_ListedGroupAndAppInAnyCase_AreValid()
    {
        Assert.Empty(Validator().Check(Row(apps: ListedApp.ToUpperInvariant(), groups: $"{{{Listed}}}")));
    }

    [Fact]
    public void Check_GroupNotOnAssignableList_NamesRowColumnIdAndFix()
    {
        Assert.Equal(
            new RowError("InviteGroupResources",
                $"Row 5, InviteGroupResources: group '{Unlisted}' is not on this portal's list of assignable groups and applications (or not in the tenant), " +
                "so guests may not be added to it — ask a Global Administrator to add it under Settings → Assignable groups and applications, or remove it from the row."),
            Assert.Single(Validator().Check(Row(groups: $"{Listed} {Unlisted.ToUpperInvariant()}"))));
    }

    [Fact]
    public void Check_ListedGroupIdNamedAsApp_IsRefused()
    {
        var error = Assert.Single(Validator().Check(Row(apps: Listed)));

        Assert.Equal("InviteAppResources", error.Column);
        Assert.StartsWith($"Row 5, InviteAppResources: application '{Listed}' is not on this portal's list", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_SingleInvitationWithSeveralUnlistedApps_NamesThemWithoutARow()
    {
        var other = Guid.NewGuid().ToString("D");

        var error = Assert.Single(Validator(RowRules.SingleInvitation).Check(Row(apps: $"{Unlisted} {other}")));

        Assert.StartsWith($"InviteAppResources: applications '{Unlisted}', '{other}' are not on this portal's list", error.Message, StringComparison.Ordinal);
        Assert.Contains("ask a Global Administrator to add them under Settings → Assignable groups and applications", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_EmptyList_RefusesEveryGroup()
    {
        var validator = InvitationRowValidator.For(CsvFormat.Legacy, RowRules.File, RedirectUrlPolicy.From(new PortalPolicyOptions()), null, AssignableList.Empty);

        Assert.Equal("InviteGroupResources", Assert.Single(validator.Check(Row(groups: Listed))).Column);
    }
}

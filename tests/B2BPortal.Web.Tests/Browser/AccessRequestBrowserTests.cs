using B2BPortal.Simulator.Tenant;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace B2BPortal.Web.Tests.Browser;

/// <summary>
/// Access requests with approval (issue 13) in the browser: an employee without an admin role asks for two partners, an
/// approver approves one and rejects the other, the approved guest is invited as the approver with the employee as sponsor
/// in the tenant, and the employee sees both outcomes and still no admin page.
/// </summary>
public sealed class AccessRequestBrowserTests(BrowserFixture browser) : BrowserTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Approve_OneOfTwoRequestedPartners_InvitesAsApproverWithSponsor_RequesterSeesBothOutcomes()
    {
        var approvedAddress = BrowserFixture.Unique("approved", "fabrikam.example");
        var rejectedAddress = BrowserFixture.Unique("rejected", "fabrikam.example");
        var group = SimulatedTenantDefaults.Groups[0];

        // The employee lands on the 403 page, which points to the request form.
        var employee = await browser.SignInAsync(SimulatedTenantDefaults.NoRoleUpn);
        await Expect(employee.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You don't have access to B2B Portal");
        await employee.GetByRole(AriaRole.Link, new() { Name = "request access for a partner" }).ClickAsync();
        await RequestAsync(employee, approvedAddress, "Ada Approved", group.DisplayName);
        await RequestAsync(employee, rejectedAddress, "Rex Rejected", null);
        await Expect(employee.Locator($"#my-requests tr[data-email='{approvedAddress}'] [data-field=status]")).ToHaveTextAsync("Waiting for an approver");

        // The approver sees the queue with its count, approves one and rejects the other with a comment.
        var approver = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var waiting = int.Parse(await approver.Locator("#nav-queue [data-field=waiting]").TextContentAsync() ?? "", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(waiting >= 2, $"the navigation counts {waiting} waiting requests");
        await approver.Locator("#nav-queue").ClickAsync();
        var approveCard = approver.Locator("article", new() { Has = approver.Locator($"li[data-email='{approvedAddress}']") });
        await approveCard.GetByLabel("Comment (optional)").FillAsync("Welcome aboard.");
        await approveCard.GetByRole(AriaRole.Button, new() { Name = "Approve and send" }).ClickAsync();
        await Expect(approver.Locator("#outcome")).ToContainTextAsync("Approved the request of " + SimulatedTenantDefaults.NoRoleUpn);
        var rejectCard = approver.Locator("article", new() { Has = approver.Locator($"li[data-email='{rejectedAddress}']") });
        await rejectCard.GetByLabel("Reason for rejecting").FillAsync("Use the partner portal instead.");
        await rejectCard.GetByRole(AriaRole.Button, new() { Name = "Reject" }).ClickAsync();
        await Expect(approver.Locator("#outcome")).ToContainTextAsync("Rejected the request of " + SimulatedTenantDefaults.NoRoleUpn);
        await Expect(approver.Locator($"li[data-email='{approvedAddress}']")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(approver, "access-requests-queue");

        // In the tenant: the approved partner was invited by the approver (delegated), into the chosen group, with the
        // employee as sponsor; the rejected one was never invited.
        var tenant = browser.Portal.Tenant.Tenant;
        var employeeId = tenant.FindUser(SimulatedTenantDefaults.NoRoleUpn)!.Id;
        var guest = await Eventually.Until(
            () => Task.FromResult(tenant.Users().FirstOrDefault(u => string.Equals(u.Mail, approvedAddress, StringComparison.OrdinalIgnoreCase))),
            user => user is not null && tenant.Sponsors(user.Id).Count > 0 && tenant.GroupMembers(group.Id).Any(m => m.Id == user.Id),
            "the approved guest invited, in the group, with a sponsor",
            Patience,
            user => user is null ? "no guest yet" : $"guest {user.Id}: sponsors {tenant.Sponsors(user.Id).Count}, in group {tenant.GroupMembers(group.Id).Any(m => m.Id == user.Id)}");
        Assert.Equal([employeeId], tenant.Sponsors(guest!.Id).Select(u => u.Id));
        var invitation = Assert.Single(tenant.Mailbox(), m => m.Kind == MailboxMessage.InvitationKind && string.Equals(m.To, approvedAddress, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(SimulatedTenantDefaults.GlobalAdminUpn, invitation.InvitedBy);
        Assert.DoesNotContain(tenant.Users(), u => string.Equals(u.Mail, rejectedAddress, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(tenant.Mailbox(), m => string.Equals(m.To, rejectedAddress, StringComparison.OrdinalIgnoreCase));

        // The employee sees both outcomes, and still no admin page.
        await Eventually.Until(
            async () =>
            {
                await employee.GotoAsync("/Requests");
                return await employee.Locator($"#my-requests tr[data-email='{approvedAddress}'] [data-field=status]").TextContentAsync() ?? "";
            },
            status => status.StartsWith("Invited", StringComparison.Ordinal) || status.StartsWith("Accepted", StringComparison.Ordinal),
            "the employee's page shows the partner invited",
            Patience,
            status => status);
        await Expect(employee.Locator($"#my-requests tr[data-email='{approvedAddress}'] [data-field=decision]"))
            .ToHaveTextAsync($"Approved by {SimulatedTenantDefaults.GlobalAdminUpn}: “Welcome aboard.”");
        await Expect(employee.Locator($"#my-requests tr[data-email='{rejectedAddress}'] [data-field=status]")).ToHaveTextAsync("Rejected");
        await Expect(employee.Locator($"#my-requests tr[data-email='{rejectedAddress}'] [data-field=decision]"))
            .ToHaveTextAsync($"Rejected by {SimulatedTenantDefaults.GlobalAdminUpn}: “Use the partner portal instead.”");
        await BrowserFixture.ScreenshotAsync(employee, "access-requests-mine");
        foreach (var adminPage in new[] { "/", "/Batches", "/Batches/Upload", "/Invitations/New", "/Audit", "/Help", "/Settings/Assignable", "/Settings/Policy", "/Settings/Preapproved", "/Requests/Queue" })
        {
            await employee.GotoAsync(adminPage);
            await Expect(employee.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You don't have access to B2B Portal");
        }

        await employee.CloseContextAsync();
        await approver.CloseContextAsync();
    }

    /// <summary>Fills and sends the request form as the employee would; lands on "My access requests".</summary>
    internal static async Task RequestAsync(IPage page, string email, string name, string? groupName)
    {
        if (!page.Url.EndsWith("/Requests/New", StringComparison.Ordinal))
        {
            await page.GotoAsync("/Requests/New");
        }

        await page.GetByLabel("Partner's email address").FillAsync(email);
        await page.GetByLabel("Partner's name").FillAsync(name);
        await page.GetByLabel("Company (optional)").FillAsync("Fabrikam");
        await page.GetByLabel("Language of the invitation").SelectOptionAsync("de");
        if (groupName is not null)
        {
            await page.GetByLabel(groupName, new() { Exact = true }).CheckAsync();
        }

        await page.GetByLabel("Why does the partner need access?").FillAsync($"{name} reviews our designs.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the request" }).ClickAsync();
        await Expect(page.Locator("#outcome")).ToContainTextAsync($"Your request for {name} ({email}) is waiting for an approver.");
    }
}

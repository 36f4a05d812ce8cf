using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace B2BPortal.Web.Tests.Browser;

/// <summary>
/// The portal without a mouse (issue 16): after signing in, only Tab, Enter and Space. Every element the keys pass
/// shows its focus (<see cref="KeyboardFocus.TabToAsync"/>), and after each step focus is where the next step starts.
/// </summary>
public sealed class KeyboardAccessibilityBrowserTests(BrowserFixture browser) : BrowserTests
{
    private const string SendButton = "form[action*='handler=Send'] button";

    [Fact]
    public async Task KeyboardOnly_UploadReviewAndSend_WithoutTheMouse()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var good = BrowserFixture.Unique("keys");
        var csv = BrowserFixture.Csv(good, BrowserFixture.Unique("keys2"), "not-an-address");

        // Dashboard → Upload through the navigation.
        await KeyboardFocus.TabToAsync(page, "a[href='/Batches/Upload'].nav-link");
        Assert.Equal("rgb(255, 255, 255)", await page.Locator(":focus").EvaluateBoundedAsync<string>("e => getComputedStyle(e).outlineColor"));
        await page.PressBoundedAsync("Enter");
        await page.WaitForURLAsync("**/Batches/Upload");

        // The file input opens the file chooser from the keyboard; the chooser is answered as a person picks a file.
        // Chromium opens a chooser only for the window in front: another test's window may be there in a full run.
        await KeyboardFocus.TabToAsync(page, "#file");
        var chooser = await OpenFileChooserWithSpaceAsync(page);
        await chooser.SetFilesAsync(new FilePayload { Name = "keyboard.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv) });
        await KeyboardFocus.TabToAsync(page, "form[enctype] button[type=submit]");
        await page.PressBoundedAsync("Enter");
        await page.WaitForURLAsync("**/Batches/Details/**");

        // Review: the problems are listed, and the Send button is reached with Tab.
        await Expect(page.Locator("#review-summary")).ToHaveTextAsync("2 rows are ready to send; 1 has problems and will not be sent.");
        await Expect(page.Locator("#rows tbody tr", new() { HasText = "not-an-address" })).ToContainTextAsync("Row 4, Email:");
        await KeyboardFocus.TabToAsync(page, SendButton);
        await Expect(page.Locator(":focus")).ToHaveTextAsync("Send 2 invitations");
        await page.PressBoundedAsync("Enter");

        // The outcome takes focus, and the batch goes out with nothing else pressed.
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("2 invitations queued for sending.");
        await KeyboardFocus.AssertFocusedAsync(page, "#outcome", "the outcome of Send is where the keyboard user goes on from");
        await Expect(page.Locator("#progress-text")).ToHaveTextAsync("All 2 invitations processed.", new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-count=Invited]")).ToHaveTextAsync("2");
        await Expect(page.Locator("#rows tbody tr", new() { HasText = good }).Locator("[data-field=status]")).ToHaveTextAsync("Invited");

        // A row's details open with the keyboard too.
        await KeyboardFocus.TabToAsync(page, "#rows summary");
        await page.PressBoundedAsync("Enter");
        await Expect(page.Locator("#rows details").First).ToHaveAttributeAsync("open", "");
        await page.CloseContextAsync();
    }

    /// <summary>
    /// Space on the focused file input opens the chooser. Headless Chromium shows a chooser only for the window in front
    /// and now and then drops one in a full run (twice in CI, each time with focus on the input), so the key is pressed
    /// up to three times, each with the input focused and its window in front; a page whose input does not open the
    /// chooser from the keyboard fails all three.
    /// </summary>
    private static async Task<IFileChooser> OpenFileChooserWithSpaceAsync(IPage page)
    {
        for (var attempt = 1; ; attempt++)
        {
            await page.BringToFrontAsync().Within(PageCalls.Limit, $"{page.Url} did not come to the front");
            await KeyboardFocus.AssertFocusedAsync(page, "#file", "Space goes to the file input");
            try
            {
                return await page.RunAndWaitForFileChooserAsync(() => page.PressBoundedAsync("Space"), new() { Timeout = 5_000 });
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
    }

    [Fact]
    public async Task Confirmation_OpenedWithTheKeyboard_FocusesTheQuestionThenTheOutcome()
    {
        var page = await browser.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        await BrowserFixture.UploadAsync(page, "keyboard-discard.csv", BrowserFixture.Csv(BrowserFixture.Unique("keysdiscard")));

        await KeyboardFocus.TabToAsync(page, "a[href*='confirm=Discard']");
        await page.PressBoundedAsync("Enter");
        await Expect(page.Locator("#confirm-heading")).ToHaveTextAsync("Discard this batch?");
        await KeyboardFocus.AssertFocusedAsync(page, "#confirm-heading", "the question is read first when the confirmation opens");

        // The next Tab is the button that confirms; nothing is discarded by the key that opened the confirmation.
        await page.PressBoundedAsync("Tab");
        await KeyboardFocus.AssertFocusedAsync(page, "#confirm button[type=submit]", "the confirming button follows the question");
        await page.PressBoundedAsync("Space");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Batch discarded; nothing was sent.");
        await KeyboardFocus.AssertFocusedAsync(page, "#outcome", "the outcome of the confirmation");
        await page.CloseContextAsync();
    }
}

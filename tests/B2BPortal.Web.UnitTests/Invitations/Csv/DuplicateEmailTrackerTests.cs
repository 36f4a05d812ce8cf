using B2BPortal.Web.Data;
using B2BPortal.Web.Invitations.Csv;

namespace B2BPortal.Web.UnitTests.Invitations.Csv;

public class DuplicateEmailTrackerTests
{
    [Fact]
    public void Check_SameAddressLater_NamesTheEarlierRow()
    {
        var tracker = new DuplicateEmailTracker();

        Assert.Null(tracker.Check(3, "ann@fabrikam.com"));
        Assert.Null(tracker.Check(4, "bob@fabrikam.com"));

        Assert.Equal(
            new RowError("Email",
                "Row 9, Email: 'ann@fabrikam.com' also appears in row 3; each guest once per file — delete this row or fix the address."),
            tracker.Check(9, "ann@fabrikam.com"));
    }

    [Fact]
    public void Check_ThirdOccurrence_StillNamesTheFirstRow()
    {
        var tracker = new DuplicateEmailTracker(CsvFormat.Entra);
        tracker.Check(4, "ann@fabrikam.com");
        tracker.Check(5, "ann@fabrikam.com");

        var error = tracker.Check(6, "ann@fabrikam.com");

        Assert.Equal("inviteeEmail", error?.Column);
        Assert.Contains("also appears in row 4;", error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_EmptyAddress_IsNotADuplicate()
    {
        var tracker = new DuplicateEmailTracker();
        tracker.Check(2, "");

        Assert.Null(tracker.Check(3, ""));
    }

    [Fact]
    public void File_SameAddressTwiceInDifferentCase_SecondRowIsInvalidAndNamesTheFirst()
    {
        var (file, rows) = CsvBytes.Read(CsvBytes.Utf8(
            "Email,DisplayName,InviteContactUsUrl\r\n" +
            "Ann.Lee@Fabrikam.com,Ann Lee,https://c.com\r\n" +
            "bob@fabrikam.com,Bob,https://c.com\r\n" +
            " ann.lee@FABRIKAM.com ,Ann again,https://c.com\r\n"));
        var validator = new InvitationRowValidator(file.Format);
        var tracker = new DuplicateEmailTracker(file.Format);

        var errors = rows.Select(row =>
        {
            var rowErrors = validator.Check(row).ToList();
            if (rowErrors.Count == 0 && tracker.Check(row.RowNumber, InvitationRowNormalizer.Normalize(row).NormalizedEmail) is { } duplicate)
            {
                rowErrors.Add(duplicate);
            }

            return rowErrors;
        }).ToList();

        Assert.Empty(errors[0]);
        Assert.Empty(errors[1]);
        Assert.Equal(
            new RowError("Email",
                "Row 4, Email: 'ann.lee@fabrikam.com' also appears in row 2; each guest once per file — delete this row or fix the address."),
            Assert.Single(errors[2]));
    }
}

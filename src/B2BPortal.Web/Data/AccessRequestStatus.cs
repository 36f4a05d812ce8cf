namespace B2BPortal.Web.Data;

/// <summary>Where an access request stands, and each of its partners (<see cref="AccessRequestPartner.Decision"/>).</summary>
public enum AccessRequestStatus
{
    /// <summary>Waiting for an approver.</summary>
    Pending,

    /// <summary>Approved, for all its partners or some (each partner's <see cref="AccessRequestPartner.Decision"/>): they became a batch submitted by the approver (<see cref="AccessRequest.BatchId"/>).</summary>
    Approved,

    /// <summary>Rejected by an approver, with their comment; nothing was sent.</summary>
    Rejected,
}

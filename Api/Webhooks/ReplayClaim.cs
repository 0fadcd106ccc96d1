namespace Events.Api.Webhooks;

/// <summary>What claiming a signature in the replay store found.</summary>
internal enum ReplayClaim
{
    /// <summary>First time seen: go on (and release the claim if the events are not stored).</summary>
    First,

    /// <summary>Seen within the window: a replay (409).</summary>
    Replayed,

    /// <summary>The store could not answer: refuse with 503 so the sender retries (fail closed).</summary>
    Unavailable,
}

namespace Events.Bench.Measure;

/// <summary>How long sampled accepted events took to become queryable; <see cref="Missing"/> never appeared in time.</summary>
internal sealed record FreshnessResult(int Sampled, int Seen, int Missing, int PollErrors, string? LastPollError, Percentiles Ms);

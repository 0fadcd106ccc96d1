namespace Events.Bench;

/// <summary>The run cannot go on; the message says why and what to do.</summary>
internal sealed class BenchException(string message) : Exception(message);

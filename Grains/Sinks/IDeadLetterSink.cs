namespace Events.Grains.Sinks;

/// <summary>Keeps events no table would take, where an operator can inspect and replay them.</summary>
public interface IDeadLetterSink
{
    /// <summary>Completes once the dead letter is durable; throws otherwise.</summary>
    Task PublishAsync(DeadLetter letter, CancellationToken cancellationToken);

    /// <summary>Keeps a stream message whose groups its sink could not read, as the bytes it came with.</summary>
    Task PublishUnreadableAsync(UnreadableMessage message, CancellationToken cancellationToken);
}

/// <summary>Events of one group that <paramref name="Table"/> refused, and why.</summary>
public sealed record DeadLetter(string Table, string Reason, int Attempts, EventGroup Group);

/// <summary>
/// A stream message for <paramref name="Table"/> whose serialized groups (<see cref="SinkBatch.EncodedGroups"/>) the
/// sink could not read, e.g. written by a silo of an incompatible version; <paramref name="Events"/> is what the
/// publisher said they hold, and <paramref name="Format"/> how they were written (<see cref="SinkBatch.EncodedFormat"/>).
/// </summary>
public sealed record UnreadableMessage(string Table, string Reason, int Events, byte[] EncodedGroups, byte Format);

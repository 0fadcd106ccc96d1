namespace Events.Grains.Sinks;

/// <summary>Keeps events no table would take, where an operator can inspect and replay them.</summary>
public interface IDeadLetterSink
{
    /// <summary>Completes once the dead letter is durable; throws otherwise.</summary>
    Task PublishAsync(DeadLetter letter, CancellationToken cancellationToken);
}

/// <summary>Events of one group that <paramref name="Table"/> refused, and why.</summary>
public sealed record DeadLetter(string Table, string Reason, int Attempts, EventGroup Group);

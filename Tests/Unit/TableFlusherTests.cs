using Events.Grains;
using Events.Grains.Publishing;
using Events.Grains.Sinks;
using Events.Grains.Tables;
using Events.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Events.Tests.Unit;

public sealed class TableFlusherTests
{
    /// <summary>
    /// Records inserts per table; the event table refuses rows whose id starts with "bad". With <see cref="Encodes"/>,
    /// it encodes rows ahead as their ids, one per line, like a store with a wire format.
    /// </summary>
    private sealed class RecordingWriter : ITableWriter
    {
        public Dictionary<string, List<object[]>> Inserted { get; } = [];
        public Exception? FailEverythingWith { get; set; }
        public bool Encodes { get; init; }
        public int EncodedInserts { get; private set; }

        /// <summary>What holds each encoded message's bytes; a pooled buffer in the ClickHouse writer.</summary>
        public List<Owner> Owners { get; } = [];

        public EncodedRows? Encode(TableSchema table, IEnumerable<object[]> rows)
        {
            if (!Encodes) return null;
            var ids = rows.Select(r => (string)r[0]).ToList();
            var owner = new Owner();
            Owners.Add(owner);
            return new EncodedRows(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', ids)), ids.Count, owner);
        }

        public Task WriteEncodedAsync(TableSchema table, IReadOnlyList<EncodedRows> parts, CancellationToken cancellationToken)
        {
            EncodedInserts++;
            var rows = parts.SelectMany(p => System.Text.Encoding.UTF8.GetString(p.Bytes.Span).Split('\n')).Select(id => new object[] { id }).ToList();
            return WriteAsync(table, rows, cancellationToken);
        }

        public Task WriteAsync(TableSchema table, IReadOnlyList<object[]> rows, CancellationToken cancellationToken)
        {
            if (FailEverythingWith is not null) return Task.FromException(FailEverythingWith);
            if (table.Name == "event" && rows.Any(r => ((string)r[0]).StartsWith("bad", StringComparison.Ordinal)))
            {
                return Task.FromException(new RowsRejectedException("ClickHouse code 469: constraint violated"));
            }
            (Inserted.TryGetValue(table.Name, out var list) ? list : Inserted[table.Name] = []).AddRange(rows);
            return Task.CompletedTask;
        }
    }

    private sealed class Owner : IDisposable
    {
        public int Disposed { get; private set; }

        public void Dispose() => Disposed++;
    }

    private sealed class RecordingDeadLetters : IDeadLetterSink
    {
        public List<DeadLetter> Letters { get; } = [];

        public Task PublishAsync(DeadLetter letter, CancellationToken cancellationToken)
        {
            Letters.Add(letter);
            return Task.CompletedTask;
        }

        public Task PublishUnreadableAsync(UnreadableMessage message, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the flusher gets only messages the sink could read");
    }

    private RecordingWriter _writer = new();
    private readonly RecordingDeadLetters _deadLetters = new();

    private static readonly SinkBatchCodec Codec = TestCodec.Create();

    private TableFlusher Flusher() => new(EventTables.Event, Codec, _writer, _deadLetters,
        new SinkOptions { MaxRejectedRetries = 2, RejectedRetryDelay = TimeSpan.Zero }, NullLogger.Instance, TestMeters.Sink());

    /// <summary>One stream message of LaunchEvents with these ids, as the publisher sends it, waiting in a sink.</summary>
    private WaitingMessage[] Message(params string[] ids)
    {
        var group = new EventGroup
        {
            Source = "grpc", EventName = "LaunchEvent", Header = new EventHeader { DeviceId = "d1" },
            Events = ids.Select(id => new IngestedEvent { Id = id, Name = "LaunchEvent", TimestampMs = 1 }).ToList(),
        };
        var message = Codec.Encode("event", [group]);
        return [new WaitingMessage(message, _writer.Encode(EventTables.Event, EventTables.Event.MapRows([group]).Select(r => r.Values)))];
    }

    private static IEnumerable<string> Ids(IEnumerable<object[]> rows) => rows.Select(r => (string)r[0]);

    [Fact]
    public async Task RefusedRows_GoToErrorEventAndTheDeadLetterQueue_TheRestIsWritten()
    {
        await Flusher().WriteAsync(Message("ok-1", "bad-1", "ok-2", "ok-3", "bad-2"));

        Assert.Equal(["ok-1", "ok-2", "ok-3"], Ids(_writer.Inserted["event"]).Order());
        var errors = _writer.Inserted["error_event"];
        Assert.Equal(["bad-1", "bad-2"], Ids(errors).Order());
        var columns = EventTables.ErrorEvent.ColumnNames.ToList();
        Assert.All(errors, row =>
        {
            Assert.Equal("event", row[columns.IndexOf("target_table")]);
            Assert.Contains("469", (string)row[columns.IndexOf("error_reason")]);
            Assert.Equal((ushort)3, row[columns.IndexOf("error_attempts")]);
            Assert.Equal("d1", row[columns.IndexOf("device_id")]);
        });
        var letter = Assert.Single(_deadLetters.Letters);
        Assert.Equal("event", letter.Table);
        Assert.Equal(["bad-1", "bad-2"], letter.Group.Events.Select(e => e.Id));
    }

    [Fact]
    public async Task TransientFailure_FailsTheFlush_AndDeadLettersNothing()
    {
        _writer.FailEverythingWith = new HttpRequestException("connection refused");

        await Assert.ThrowsAsync<HttpRequestException>(() => Flusher().WriteAsync(Message("ok-1", "bad-1")));

        Assert.Empty(_deadLetters.Letters);
        Assert.Empty(_writer.Inserted);
    }

    [Fact]
    public async Task EncodedMessages_AreSentAsEncoded_InOneInsert()
    {
        _writer = new RecordingWriter { Encodes = true };

        await Flusher().WriteAsync([.. Message("ok-1", "ok-2"), .. Message("ok-3")]);

        Assert.Equal(1, _writer.EncodedInserts);
        Assert.Equal(["ok-1", "ok-2", "ok-3"], Ids(_writer.Inserted["event"]));
    }

    [Fact]
    public async Task EncodedMessages_TheTableRefuses_AreReadAgainToFindTheRefusedRows()
    {
        _writer = new RecordingWriter { Encodes = true };

        await Flusher().WriteAsync([.. Message("ok-1", "bad-1"), .. Message("ok-2")]);

        Assert.Equal(["ok-1", "ok-2"], Ids(_writer.Inserted["event"]).Order());
        Assert.Equal(["bad-1"], Ids(_writer.Inserted["error_event"]));
        Assert.Equal(["bad-1"], Assert.Single(_deadLetters.Letters).Group.Events.Select(e => e.Id));
    }

    [Theory]
    [InlineData("written")]
    [InlineData("some rows refused")]
    [InlineData("insert failed")]
    public async Task EncodedBytes_AreGivenBackOnce_WhateverTheFlushCameTo(string outcome)
    {
        _writer = new RecordingWriter { Encodes = true };
        WaitingMessage[] messages = outcome == "some rows refused"
            ? [.. Message("ok-1", "bad-1"), .. Message("ok-2")]
            : [.. Message("ok-1", "ok-2"), .. Message("ok-3")];
        if (outcome == "insert failed") _writer.FailEverythingWith = new HttpRequestException("connection refused");

        var error = await Record.ExceptionAsync(() => Flusher().WriteAsync(messages));

        Assert.Equal(outcome == "insert failed", error is HttpRequestException);
        Assert.Equal(2, _writer.Owners.Count);
        Assert.All(_writer.Owners, owner => Assert.Equal(1, owner.Disposed));
    }
}

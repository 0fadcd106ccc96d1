using System.Text.Json;
using Events.Cli.DeadLetters;
using Events.Tests.Infrastructure;

namespace Events.Tests.Streaming;

/// <summary><c>dlq export</c> against the real broker: letters move into a file, and leave the queue only once written.</summary>
public sealed class DeadLetterExportTests : IAsyncLifetime
{
    private readonly OwnStreamQueues _queues = new("dlx");
    private readonly string _directory = Directory.CreateTempSubdirectory("events-dlq-export-").FullName;

    public async ValueTask InitializeAsync()
    {
        await OwnStreamQueues.RequireBrokerAsync();
        await _queues.DeclareAsync();
    }

    [Fact]
    public async Task Export_WritesEachLetterAsALine_WithItsBytesAndHeaders_AndEmptiesTheQueue()
    {
        // Groups no silo could read: no replay stores them, so an operator moves them out.
        await PublishUnreadableAsync([0xFF, 0x00, 0x13]);
        await PublishUnreadableAsync([0x37]);
        var path = Path.Combine(_directory, "letters.jsonl");
        var output = new StringWriter();

        await using (var queue = await DeadLetterQueue.OpenAsync(LocalServices.RabbitMqUri, _queues.Prefix))
        {
            Assert.Equal(2, await DeadLetterExport.ExportAsync(queue, path, output, limit: 10));
        }

        var lines = File.ReadAllLines(path).Select(line => JsonDocument.Parse(line).RootElement).ToArray();
        Assert.Equal([[0xFF, 0x00, 0x13], [0x37]], lines.Select(l => Convert.FromBase64String(l.GetProperty("body_base64").GetString()!)));
        Assert.All(lines, l => Assert.Equal(DeadLetterMessage.UnreadableContentType, l.GetProperty("content_type").GetString()));
        Assert.Equal("event", lines[0].GetProperty("headers").GetProperty("x-events-table").GetString());
        Assert.Equal(3, lines[0].GetProperty("headers").GetProperty("x-events-count").GetInt32());
        Assert.Contains("that its sink could not read", lines[0].GetProperty("description").GetString());
        Assert.Contains($"exported 2 dead letters from {_queues.Options.DeadLetterName} to {path}", output.ToString());
        Assert.Equal(0u, await RabbitMqQueues.ReadyCountAsync(_queues.Options.DeadLetterName));
    }

    [Fact]
    public async Task Export_ABrokerDeadLetter_KeepsTheBrokersDeathRecord()
    {
        // RabbitMQ's x-death header is a list of tables whose strings come as bytes.
        await _queues.RejectToDeadLetterAsync("rejected");
        var path = Path.Combine(_directory, "letters.jsonl");

        await using (var queue = await DeadLetterQueue.OpenAsync(LocalServices.RabbitMqUri, _queues.Prefix))
        {
            Assert.Equal(1, await DeadLetterExport.ExportAsync(queue, path, TextWriter.Null, limit: 10));
        }

        var letter = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
        var death = letter.GetProperty("headers").GetProperty("x-death")[0];
        Assert.Equal(_queues.Queue, death.GetProperty("queue").GetString());
        Assert.Equal("rejected", death.GetProperty("reason").GetString());
        Assert.Equal("rejected", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(letter.GetProperty("body_base64").GetString()!)));
    }

    [Fact]
    public async Task Export_WithALimit_TakesTheFirstLetters_AndAppendsToTheFile()
    {
        await PublishUnreadableAsync([1]);
        await PublishUnreadableAsync([2]);
        await PublishUnreadableAsync([3]);
        var path = Path.Combine(_directory, "letters.jsonl");

        for (var run = 0; run < 2; run++)
        {
            await using var queue = await DeadLetterQueue.OpenAsync(LocalServices.RabbitMqUri, _queues.Prefix);
            Assert.Equal(1, await DeadLetterExport.ExportAsync(queue, path, TextWriter.Null, limit: 1));
        }

        Assert.Equal(["AQ==", "Ag=="], File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("body_base64").GetString()));
        Assert.Equal(1u, await RabbitMqQueues.ReadyCountAsync(_queues.Options.DeadLetterName));
    }

    [Theory]
    [InlineData("/dev/full")] // opens, then every write fails as on a full disk: the letter in hand must stay
    [InlineData("no-such-directory/letters.jsonl")]
    public async Task Export_ToAFileThatCannotBeWritten_Fails_AndLeavesEveryLetterInTheQueue(string file)
    {
        await PublishUnreadableAsync([1]);
        await PublishUnreadableAsync([2]);
        var path = Path.Combine(_directory, file);

        await using (var queue = await DeadLetterQueue.OpenAsync(LocalServices.RabbitMqUri, _queues.Prefix))
        {
            await Assert.ThrowsAnyAsync<IOException>(() => DeadLetterExport.ExportAsync(queue, path, TextWriter.Null, limit: 10));
        }

        // Letters taken but not acknowledged return when the channel closes.
        await Eventually.Until(() => RabbitMqQueues.ReadyCountAsync(_queues.Options.DeadLetterName), n => n == 2, TimeSpan.FromSeconds(10),
            n => $"expected both letters back in the queue, found {n}");
    }

    private async Task PublishUnreadableAsync(byte[] body)
    {
        var before = await RabbitMqQueues.ReadyCountAsync(_queues.Options.DeadLetterName);
        await RabbitMqQueues.PublishAsync(_queues.Options.DeadLetterName, body, DeadLetterMessage.UnreadableContentType,
            new Dictionary<string, object?> { ["x-events-table"] = "event", ["x-events-count"] = 3, ["x-events-reason"] = "a test" });
        await Eventually.Until(() => RabbitMqQueues.ReadyCountAsync(_queues.Options.DeadLetterName), n => n == before + 1, TimeSpan.FromSeconds(10),
            n => $"expected {before + 1} dead letters, found {n}");
    }

    public async ValueTask DisposeAsync()
    {
        await _queues.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

using Events.Cli;
using Events.Cli.DeadLetters;
using Events.Protos;
using Grpc.Core;
using Grpc.Net.Client;
using RabbitMQ.Client.Exceptions;

// events-cli: small operator tools for a running Events.Orleans cluster.
const string Usage = """
    usage: events-cli send [--count N] [--device ID]     dispatch a sample batch through the gRPC front door
           events-cli dlq list [--limit N]               show dead letters and why they are there
           events-cli dlq replay [--limit N]             send dead letters back into the pipeline
           events-cli dlq export --to FILE [--limit N]   move dead letters into a file (JSON lines), e.g. ones no replay stores
    options: --grpc URL (EVENTS_GRPC_URL, http://127.0.0.1:8017)
             --rabbitmq URI (EVENTS_RABBITMQ_URI, amqp://guest:guest@127.0.0.1:5672/)
             --queue-prefix NAME (events-stream)
    """;

var arguments = args.ToList();
var grpc = Option("--grpc", "EVENTS_GRPC_URL", "http://127.0.0.1:8017");
var broker = new Uri(Option("--rabbitmq", "EVENTS_RABBITMQ_URI", "amqp://guest:guest@127.0.0.1:5672/"));
var queuePrefix = Option("--queue-prefix", null, "events-stream");
using var channel = GrpcChannel.ForAddress(grpc);
var client = new EventService.EventServiceClient(channel);

try
{
    return (arguments.ElementAtOrDefault(0), arguments.ElementAtOrDefault(1)) switch
    {
        ("send", _) => await SendAsync(),
        ("dlq", "list") => await ListAsync(),
        ("dlq", "replay") => await ReplayAsync(),
        ("dlq", "export") => await ExportAsync(),
        _ => Fail(Usage, 2),
    };
}
catch (Exception ex) when (ex is InvalidOperationException or BrokerUnreachableException or IOException or UnauthorizedAccessException)
{
    return Fail($"error: {ex.Message}", 1);
}

async Task<int> SendAsync()
{
    var count = Count("--count", 10);
    var device = Option("--device", null, $"cli-{Guid.NewGuid():N}"[..16]);
    try
    {
        var response = await client.dispatchAsync(SampleBatch.Create(device, count), deadline: DateTime.UtcNow.AddSeconds(10));
        Console.WriteLine($"{response.Status}: {count} events for device '{device}' via {grpc}");
        return 0;
    }
    catch (RpcException ex)
    {
        return Fail($"{ex.StatusCode}: {ex.Status.Detail}", 1);
    }
}

async Task<int> ListAsync()
{
    await using var queue = await DeadLetterQueue.OpenAsync(broker, queuePrefix);
    await DeadLetterCommands.ListAsync(queue, Console.Out, Count("--limit", 100));
    return 0;
}

async Task<int> ReplayAsync()
{
    await using var queue = await DeadLetterQueue.OpenAsync(broker, queuePrefix);
    var (_, notReplayed) = await DeadLetterCommands.ReplayAsync(queue, Console.Out, Count("--limit", int.MaxValue));
    return notReplayed == 0 ? 0 : 1;
}

async Task<int> ExportAsync()
{
    if (Option("--to", null, "") is not { Length: > 0 } path) return Fail("dlq export needs --to FILE: the letters leave the queue for that file", 2);
    await using var queue = await DeadLetterQueue.OpenAsync(broker, queuePrefix);
    await DeadLetterExport.ExportAsync(queue, path, Console.Out, Count("--limit", int.MaxValue));
    return 0;
}

string Option(string name, string? variable, string fallback)
{
    var index = arguments.IndexOf(name);
    if (index >= 0 && index + 1 < arguments.Count) return arguments[index + 1];
    return (variable is null ? null : Environment.GetEnvironmentVariable(variable)) ?? fallback;
}

int Count(string name, int fallback) => int.TryParse(Option(name, null, ""), out var n) && n > 0 ? n : fallback;

static int Fail(string message, int code)
{
    Console.Error.WriteLine(message);
    return code;
}

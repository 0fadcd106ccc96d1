using Events.Cli;
using Grpc.Core;
using Grpc.Net.Client;

// events-cli: small operator tools for a running Events.Orleans cluster.
//   send [--count N] [--device ID] [--grpc URL]   dispatch a sample batch through the real gRPC front door
var arguments = args.ToList();
if (arguments.Count == 0 || arguments[0] is "-h" or "--help")
{
    Console.WriteLine("usage: events-cli send [--count N] [--device ID] [--grpc http://127.0.0.1:8017]");
    return 2;
}

string Option(string name, string fallback)
{
    var index = arguments.IndexOf(name);
    return index >= 0 && index + 1 < arguments.Count ? arguments[index + 1] : fallback;
}

switch (arguments[0])
{
    case "send":
        var count = int.TryParse(Option("--count", "10"), out var n) && n > 0 ? n : 10;
        var device = Option("--device", $"cli-{Guid.NewGuid():N}"[..16]);
        var address = Option("--grpc", Environment.GetEnvironmentVariable("EVENTS_GRPC_URL") ?? "http://127.0.0.1:8017");
        using (var channel = GrpcChannel.ForAddress(address))
        {
            var client = new Events.Protos.EventService.EventServiceClient(channel);
            try
            {
                var response = await client.dispatchAsync(SampleBatch.Create(device, count), deadline: DateTime.UtcNow.AddSeconds(10));
                Console.WriteLine($"{response.Status}: {count} events for device '{device}' via {address}");
                return 0;
            }
            catch (RpcException ex)
            {
                Console.Error.WriteLine($"{ex.StatusCode}: {ex.Status.Detail}");
                return 1;
            }
        }
    default:
        Console.Error.WriteLine($"unknown command '{arguments[0]}' (try --help)");
        return 2;
}

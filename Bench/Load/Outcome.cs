using Grpc.Core;

namespace Events.Bench.Load;

/// <summary>How a dispatch ended: SUCCESS, the response status when it is not, or the gRPC status code.</summary>
internal static class Outcome
{
    public const string Success = "SUCCESS";

    public static string Of(Protos.Response response) => response.Status == Success ? Success : $"response {response.Status}";

    public static string Of(RpcException ex) => ex.StatusCode.ToString();
}

using Google.Protobuf;
using Grpc.Core;

namespace Events.Api.Security;

/// <summary>
/// <c>/event.EventService/dispatch</c> with a request marshaller that answers INVALID_ARGUMENT for bytes that are not an
/// event batch (random bytes, a cut-off field, invalid UTF-8 in a string). The generated one lets the parser's
/// exception escape, which gRPC reports as UNKNOWN "Exception was thrown by handler".
/// </summary>
public static class DispatchMethod
{
    public const string Undecodable = "The request is not a valid event batch: malformed protobuf or a string field that is not UTF-8";

    public static Method<Protos.Events, Protos.Response> Method { get; } = new(
        MethodType.Unary,
        Protos.EventService.Descriptor.FullName,
        Protos.EventService.Descriptor.Methods.Single().Name,
        new Marshaller<Protos.Events>(Serialize, DeserializeRequest),
        new Marshaller<Protos.Response>(Serialize, ctx => Protos.Response.Parser.ParseFrom(ctx.PayloadAsReadOnlySequence())));

    public static Protos.Events DeserializeRequest(DeserializationContext context)
    {
        try
        {
            return Protos.Events.Parser.ParseFrom(context.PayloadAsReadOnlySequence());
        }
        catch (InvalidProtocolBufferException)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, Undecodable));
        }
    }

    private static void Serialize<T>(T message, SerializationContext context) where T : IMessage<T>
    {
        context.SetPayloadLength(message.CalculateSize());
        message.WriteTo(context.GetBufferWriter());
        context.Complete();
    }
}

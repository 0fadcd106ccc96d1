using Events.Api.Dispatch;
using Grpc.AspNetCore.Server.Model;

namespace Events.Api.Security;

/// <summary>Binds <see cref="EventService"/> to <see cref="DispatchMethod"/> (the service has no generated base class).</summary>
internal sealed class DispatchMethodProvider : IServiceMethodProvider<EventService>
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<EventService> context) =>
        context.AddUnaryMethod(DispatchMethod.Method, [], (service, request, call) => service.Dispatch(request, call));
}

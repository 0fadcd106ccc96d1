namespace Events.Api.Operations;

/// <summary>
/// Whether this instance asks load balancers for traffic. Drained, it still serves every call that reaches it:
/// only its health answers change, so the balancer stops sending new ones.
/// </summary>
internal sealed class DrainSwitch
{
    private volatile bool _drained;

    public bool Drained => _drained;

    public void Set(bool drained) => _drained = drained;
}

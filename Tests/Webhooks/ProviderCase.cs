using System.Text;
using System.Text.Json;
using Events.Api.Webhooks;

namespace Events.Tests.Webhooks;

/// <summary>How a provider authenticates its requests (what the test must add).</summary>
public enum AuthStyle
{
    TokenHeader,
    TokenQuery,
    TokenInBody,
    ShopifyHmac,
}

/// <summary>One provider as the tests drive it: a realistic body, how it signs, and what its row must hold.</summary>
public sealed class ProviderCase
{
    public required string Provider { get; init; }
    public required string Table { get; init; }
    public required AuthStyle Auth { get; init; }

    /// <summary>One event's JSON; the token is given to providers that put it in the body.</summary>
    public required Func<Sample, string?, string> Event { get; init; }

    public Func<Sample, IReadOnlyDictionary<string, string>> Headers { get; init; } = _ => new Dictionary<string, string>();

    public required string ExpectedName { get; init; }

    /// <summary>The id the row must have: the provider's, or the hash of the event's canonical JSON.</summary>
    public required Func<Sample, string> ExpectedId { get; init; }

    /// <summary>False when the provider sends no time: the row gets the receive time.</summary>
    public bool SendsTimestamp { get; init; } = true;

    /// <summary>Checks the provider's typed columns.</summary>
    public Action<JsonElement, Sample> CheckColumns { get; init; } = (_, _) => { };

    /// <summary>
    /// The request for one event, optionally wrapped (<c>b => "[" + b + ", 42]"</c>), signed as <paramref name="credential"/> says.
    /// </summary>
    public WebhookRequest Request(Sample sample, Credential credential = Credential.Valid, Func<string, string>? wrap = null)
    {
        var secret = credential switch
        {
            Credential.Valid => WebhookFixture.Credentials[Provider],
            Credential.Wrong => "wrong-" + WebhookFixture.Credentials[Provider],
            _ => null,
        };
        var body = Event(sample, Auth == AuthStyle.TokenInBody ? secret : null);
        body = wrap is null ? body : wrap(body);
        var headers = new Dictionary<string, string>(Headers(sample));
        var query = "";
        switch (Auth)
        {
            case AuthStyle.TokenHeader when secret is not null:
                headers[WebhookHandler.TokenHeader] = secret;
                break;
            case AuthStyle.TokenQuery when secret is not null:
                query = "?token=" + Uri.EscapeDataString(secret);
                break;
            case AuthStyle.ShopifyHmac when secret is not null:
                headers[WebhookHandler.ShopifySignatureHeader] = WebhookSignatures.ShopifyHmac(Encoding.UTF8.GetBytes(body), secret);
                break;
        }
        return new WebhookRequest(Provider, body, headers, query);
    }

    /// <summary>Finds the sample's rows: every body the tests send carries its marker.</summary>
    public string Where(Sample sample) => $"position(raw, '{sample.Marker}') > 0";

    public override string ToString() => Provider;

    /// <summary>The id the Api derives for an event without a provider id.</summary>
    public static string HashId(string eventJson)
    {
        using var document = JsonDocument.Parse(eventJson);
        return EventIds.FromContent(document.RootElement);
    }
}

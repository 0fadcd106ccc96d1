namespace Events.Api.Webhooks;

/// <summary>What proves a webhook request comes from its provider.</summary>
internal enum WebhookAuth
{
    /// <summary>
    /// A token configured on both sides, sent in the <c>X-Webhook-Token</c> header or the <c>token</c> query parameter
    /// (for providers that cannot set headers), or inside each event where the provider puts it there.
    /// </summary>
    SharedToken,

    /// <summary>Shopify: base64 HMAC-SHA256 of the raw body with the app's secret, in <c>X-Shopify-Hmac-Sha256</c>.</summary>
    ShopifyHmac,

    /// <summary>
    /// A sender that can sign (configured with <c>SigningSecret</c> instead of <c>Token</c>): HMAC-SHA256 over the signed
    /// time and the raw body in <c>X-Webhook-Signature</c> (<see cref="TimestampedSignatures"/>). Requests outside the
    /// tolerance are refused, and each signature is accepted once.
    /// </summary>
    TimestampedHmac,
}

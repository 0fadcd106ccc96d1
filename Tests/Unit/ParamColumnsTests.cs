using Events.Grains;
using Events.Grains.Tables;

namespace Events.Tests.Unit;

public sealed class ParamColumnsTests
{
    private static readonly TableSchema Table = new()
    {
        Name = "typed",
        ReadsParams = true,
        Columns =
        [
            ParamColumns.String("product", "product.id"),
            ParamColumns.Int64("quantity", "quantity"),
            ParamColumns.Float64("price", "price"),
            ParamColumns.Bool("first", "isFirst"),
            ParamColumns.Json("tags", "tags"),
        ],
        Engine = "MergeTree",
        OrderBy = "product",
    };

    private static object[] Row(string paramsJson) => Table.MapRow(new RowContext(
        new EventGroup { Source = "grpc", EventName = "X", Header = EventHeader.Empty, Events = [] },
        new IngestedEvent { Id = "e", Name = "X", TimestampMs = 0, ParamsJson = paramsJson }));

    [Fact]
    public void TypedColumns_ReadNestedPaths_AndProtobufInt64Strings()
    {
        var row = Row("""{"product":{"id":"sku-1"},"quantity":"12","price":4.5,"isFirst":true,"tags":["a","b"]}""");

        Assert.Equal(["sku-1", 12L, 4.5d, true, """["a","b"]"""], row);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"product":"not an object","quantity":"many","price":null,"isFirst":"yes"}""")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    public void MissingOrMistypedValues_GetDefaults_InsteadOfFailingTheRow(string paramsJson)
    {
        Assert.Equal(["", 0L, 0d, false, ""], Row(paramsJson));
    }
}

using EdgeCancer.Inference.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeCancer.Inference.Pipeline;

/// <summary>
/// Hot reload: checks the registry's active versions every few seconds and swaps the loaded models; work already
/// holding the previous set finishes with it (its lease keeps it alive).
/// </summary>
public sealed partial class ModelReloadService(ActiveModelProvider provider, ILogger<ModelReloadService> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Loaded(logger, provider.ActiveVersions);
        NativeHeap.Trim(); // the sessions opened to check the models are closed: give their memory back
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    if (await provider.RefreshAsync(stoppingToken).ConfigureAwait(false))
                    {
                        Loaded(logger, provider.ActiveVersions);
                        NativeHeap.Trim();
                    }
                }
                catch (ModelRejectedException ex)
                {
                    Refused(logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Active models: {Versions}")]
    private static partial void Loaded(ILogger logger, string versions);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Error, Message = "New model version refused, keeping the current one: {Reason}")]
    private static partial void Refused(ILogger logger, string reason);
}

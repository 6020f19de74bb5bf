using EdgeCancer.Inference.Explain;
using EdgeCancer.Inference.Models;
using EdgeCancer.Inference.Onnx;
using EdgeCancer.Inference.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EdgeCancer.Host.Serve;

/// <summary>The inference worker role: models from Node:Models, on-arrival analysis, series summaries, forwarding, hot reload.</summary>
public static class WorkerRole
{
    /// <summary>Registers the worker's services.</summary>
    public static void Add(IServiceCollection s)
    {
        s.AddSingleton(sp =>
        {
            var folder = sp.GetRequiredService<IOptions<NodeOptions>>().Value.Models;
            if (!Directory.Exists(folder))
                throw new OptionsValidationException("Node:Models", typeof(NodeOptions), [$"Node:Models: the models folder '{Path.GetFullPath(folder)}' does not exist (run from the repository root, or set --models)."]);
            // Before any session exists: large ONNX Runtime buffers mapped on their own, so freed ones leave the process.
            NativeHeap.ConfigureForModels();
            // Sessions are shared by all workers; their intra-op threads are sized so workers × threads ≈ cores.
            var inference = sp.GetRequiredService<IOptions<InferenceOptions>>().Value;
            try
            {
                return new ActiveModelProvider(new ModelRegistry(folder, inference.EffectiveIntraOpThreads(Environment.ProcessorCount)));
            }
            catch (ModelRejectedException ex)
            {
                throw new OptionsValidationException("Node:Models", typeof(NodeOptions), [$"Node:Models: {ex.Message}"]);
            }
        });
        s.AddSingleton<IModelProvider>(sp => sp.GetRequiredService<ActiveModelProvider>());
        s.AddSingleton(sp => new Classifier(sp.GetRequiredService<IModelProvider>()));
        s.AddSingleton<IImageAnalyzer, OnnxImageAnalyzer>();
        s.AddSingleton<IAiReportBuilder>(sp => new SrReportBuilder(sp.GetRequiredService<IOptions<InferenceOptions>>().Value));
        s.AddSingleton<PipelineActivity>();
        s.AddSingleton<InferenceStageStats>();
        s.AddSingleton(sp => new HeatmapStore(Path.Combine(sp.GetRequiredService<IOptions<NodeOptions>>().Value.Data, "heatmaps")));
        s.AddSingleton(sp => new HeatmapCache(Math.Max(1, sp.GetRequiredService<IOptions<InferenceOptions>>().Value.HeatmapCacheCapacity)));
        s.AddHostedService<ModelReloadService>();
        s.AddHostedService<InferenceWorker>();
        s.AddHostedService<SeriesSummaryService>();
        s.AddHostedService<ReportForwarder>();
        s.AddHostedService<HeatmapWorker>();
    }
}

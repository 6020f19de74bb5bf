namespace EdgeCancer.Inference.Models;

/// <summary>Hands out the models in use. Hold the lease for the whole of one piece of work.</summary>
public interface IModelProvider
{
    /// <summary>The current models; the lease keeps their sessions open even if a newer set replaces them meanwhile.</summary>
    ModelSetLease Acquire();
}

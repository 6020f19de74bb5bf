namespace EdgeCancer.Dicom.Network;

/// <summary>Asynchronous Operations Window sub-item (53H, PS3.7 Annex D.3.3.3, Table D.3-7); 0 means unlimited.</summary>
/// <param name="MaxOperationsInvoked">Maximum number of outstanding operations the sender may invoke.</param>
/// <param name="MaxOperationsPerformed">Maximum number of outstanding operations the sender may perform.</param>
public readonly record struct AsynchronousOperationsWindow(ushort MaxOperationsInvoked, ushort MaxOperationsPerformed);

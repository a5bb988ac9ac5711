import { registerGradients } from '@gated/tensor';

// Layers must train even when the caller set the tfjs backend without initBackend.
await registerGradients();

---@meta
-- LuaLS annotations for nn.* (docs/dsl.md "Layers, models, losses, regularizers").

---A layer, to be placed in nn.sequential{...}.
---@class Layer

---A model: nn.sequential{...} or host.model(name); built for the data's shape when the run starts.
---@class Model
local Model = {}

---The current parameter values by name, e.g. {["fc1.weight"] = {{...}, ...}}.
---@return table<string, number[]|number[][]>
function Model:parameters() end

---@class LayerOptions
---@field name? string the layer's name (default: its type and a number, e.g. fc1, relu1)

---@alias LayerInit "he"|"xavier"|"normal"|"zeros"

---@class LinearOptions: LayerOptions
---@field init? LayerInit default "he"
---@field regularizer? Regularizer a penalty on W only
---@field constraint? Constraint a projection of W after every step

---@class Conv2dOptions: LayerOptions
---@field stride? integer default 1
---@field padding? integer|"same" default 0
---@field init? LayerInit default "he"

---@class MaxPool2dOptions: LayerOptions
---@field stride? integer default kernel_size

---@class BatchNormOptions: LayerOptions
---@field momentum? number default 0.1
---@field eps? number default 1e-5

---Layers and models.
---@class nnlib
nn = {}

---y = x W + b, W of shape in × out.
---@param inputs integer
---@param outputs integer
---@param options? LinearOptions
---@return Layer
function nn.linear(inputs, outputs, options) end

---max(x, 0).
---@param options? LayerOptions
---@return Layer
function nn.relu(options) end

---tanh(x).
---@param options? LayerOptions
---@return Layer
function nn.tanh(options) end

---1 / (1 + e^−x).
---@param options? LayerOptions
---@return Layer
function nn.sigmoid(options) end

---The exact GELU x·Φ(x) (PyTorch's default).
---@param options? LayerOptions
---@return Layer
function nn.gelu(options) end

---x for x > 0, else negative_slope·x (default 0.01).
---@param negative_slope? number|LayerOptions
---@param options? LayerOptions
---@return Layer
function nn.leaky_relu(negative_slope, options) end

---Softmax over each sample's features (PyTorch's dim = 1).
---@param options? LayerOptions
---@return Layer
function nn.softmax(options) end

---Inverted dropout with probability p (a number, a schedule or a function of the step); off in evaluation.
---@param p Scheduled
---@param options? LayerOptions
---@return Layer
function nn.dropout(p, options) end

---Keras' GaussianDropout: multiplies by noise of mean 1 and variance p/(1−p).
---@param p number
---@param options? LayerOptions
---@return Layer
function nn.gaussian_dropout(p, options) end

---PyTorch's AlphaDropout, for SELU networks: keeps mean and variance.
---@param p number
---@param options? LayerOptions
---@return Layer
function nn.alpha_dropout(p, options) end

---PyTorch's Dropout2d: drops whole channels of a sample (single features on flat data).
---@param p number
---@param options? LayerOptions
---@return Layer
function nn.spatial_dropout(p, options) end

---PyTorch's BatchNorm1d on n flat features, or BatchNorm2d on n channels after a convolution.
---@param n integer
---@param options? BatchNormOptions
---@return Layer
function nn.batch_norm(n, options) end

---Turns an image (C×H×W) into C·H·W features in PyTorch's order.
---@param options? LayerOptions
---@return Layer
function nn.flatten(options) end

---PyTorch's Conv2d with a square kernel.
---@param in_channels integer
---@param out_channels integer
---@param kernel_size integer
---@param options? Conv2dOptions
---@return Layer
function nn.conv2d(in_channels, out_channels, kernel_size, options) end

---PyTorch's MaxPool2d (no padding, output size rounded down).
---@param kernel_size integer
---@param options? MaxPool2dOptions
---@return Layer
function nn.max_pool2d(kernel_size, options) end

---A model of the layers in order, named fc1, conv1, pool1, bn1, relu1, ... unless given a name.
---@param layers Layer[]
---@return Model
function nn.sequential(layers) end

---@meta
-- LuaLS annotations for data.* and tensor.* (docs/dsl.md "Data", "Tensors").

---A dataset: samples and targets. `#ds` is its number of samples.
---@class Dataset
---@operator len: integer
local Dataset = {}

---@class SplitOptions
---@field validation number the share held out, in [0, 1)
---@field seed? integer default --seed, else 0
---@field stratify? boolean default false; class targets only: keep the class proportions

---Returns train, validation after a seeded shuffle.
---@param options SplitOptions
---@return Dataset train
---@return Dataset validation
function Dataset:split(options) end

---The first n samples.
---@param n integer
---@return Dataset
function Dataset:take(n) end

---The number of samples (the same as #ds).
---@return integer
function Dataset:size() end

---@class NormalizeOptions
---@field per? "feature"|"channel"|"all" default "feature" for flat data, "channel" for images

---Normalizes with statistics fitted on this dataset ("standard" or "minmax"), or applies those of a normalized dataset.
---@param kind "standard"|"minmax"|Dataset
---@param options? NormalizeOptions
---@return Dataset
function Dataset:normalize(kind, options) end

---The number of features per sample.
---@return integer
function Dataset:features() end

---The number of classes (0 for a regression target).
---@return integer
function Dataset:classes() end

---@class IdxOptions
---@field images string an IDX images file, plain or gzip-compressed
---@field labels string an IDX labels file

---@class CsvOptions
---@field path string
---@field target? string|integer a column name or a 1-based column number; default the last column
---@field header? boolean default true
---@field classes? integer default 0; > 0 makes the target a class index in [0, classes)

---@class FashionMnistOptions
---@field root? string default "/usr/share/datasets/fashion-mnist"

---@class FashionMnist
---@field train Dataset
---@field test Dataset

---@class SyntheticLinearOptions
---@field n integer samples
---@field w number|number[] the true weights (one per feature)
---@field b? number default 0
---@field noise? number default 0; standard deviation of the added N(0, 1) noise
---@field seed? integer default --seed, else 0

---Datasets. Relative paths are resolved against the recipe's folder.
---@class datalib
data = {}

---Reads IDX files, plain or gzip-compressed.
---@param options IdxOptions
---@return Dataset
function data.idx(options) end

---Reads a CSV file; `target` names the target column.
---@param options CsvOptions
---@return Dataset
function data.csv(options) end

---Fashion-MNIST from Debian's dataset-fashion-mnist, pixels scaled to [0, 1].
---@param options? FashionMnistOptions
---@return FashionMnist
function data.fashion_mnist(options) end

---Synthetic data sets.
data.synthetic = {}

---x uniform in [−1, 1] per feature, y = w · x + b + noise · N(0, 1).
---@param options SyntheticLinearOptions
---@return Dataset
function data.synthetic.linear(options) end

---@alias DType "float32"|"float64"

---A vector (shape {n}) or a matrix (shape {rows, cols}). `t[i]` reads element i or a copy of row i;
---`t[i] = x` writes one; `#t` is the number of elements of a vector or of rows of a matrix.
---@class Tensor
---@field dtype DType
---@field [integer] number|number[]
---@operator len: integer
local Tensor = {}

---{n} or {rows, cols}.
---@return integer[]
function Tensor:shape() end

---A plain (nested) table of the values.
---@return number[]|number[][]
function Tensor:totable() end

---Tensors for imperative optimizer steps.
---@class tensorlib
tensor = {}

---A tensor from a list of numbers, a list of equally long rows, or a tensor (a copy, converted).
---@param values number[]|number[][]|Tensor
---@param dtype? DType default "float32"
---@return Tensor
function tensor.from(values, dtype) end

---zeros(n[, dtype]) is a vector of zeros, zeros(rows, cols[, dtype]) a matrix.
---@param rows integer
---@param cols? integer|DType
---@param dtype? DType
---@return Tensor
function tensor.zeros(rows, cols, dtype) end

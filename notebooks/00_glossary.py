# %% [markdown]
# # Glossary: the book's words in plain language
#
# Every technical word the book uses is explained here in a sentence or two, in alphabetical
# order, with the chapter that teaches it. The chapter is the place to learn the idea
# properly; this page is for when you meet a word again and want a quick reminder. The
# symbols and their names in the code are listed on a page of their own,
# [the notation](00_notation.ipynb).
#
# Chapters: [00 Start here](00_start_here.ipynb), [01 The neuron](01_neuron.ipynb),
# [02 The cost function](02_cost_function.ipynb), [03 Gradient descent](03_gradient_descent.ipynb),
# [04 Backpropagation](04_backpropagation.ipynb), [05 Autograd](05_autograd.ipynb),
# [06 Tokens and embeddings](06_tokens_and_embeddings.ipynb), [07 Attention](07_attention.ipynb),
# [08 GPT](08_gpt.ipynb).

# %% [markdown]
# ## A to C
#
# - **Activation** (01). The number a neuron holds, usually between 0 and 1. The input
#   layer's activations are the data, for example the brightness of each pixel.
# - **Activation function** (01). The function a neuron applies to its weighted sum, such as
#   the sigmoid or ReLU. It keeps the result in a useful range, and without it a stack of
#   layers could do no more than a single one.
# - **Adam** (03). A version of gradient descent that keeps, for every parameter, a running
#   average of its gradient and of the gradient's square, so that each parameter takes steps
#   of about the same size however steep its own direction is.
# - **Artificial intelligence** (00). The wide field of making computers do things we would
#   call intelligent. Machine learning is one part of it, and the part this book is about.
# - **Attention** (07). The step in which every token of a text looks at the tokens before
#   it, decides how much each one matters to it, and mixes their information into its own
#   vector.
# - **Autograd** (05, first used in 04). Automatic differentiation: the program records how
#   every number was computed and then applies the chain rule backwards for you, so you never
#   write a gradient by hand.
# - **Backpropagation** (04). The method that computes the gradient of the cost with respect
#   to every weight and bias of a network in one backward pass, from the output layer to the
#   input, using the chain rule.
# - **Batch** (01, 03). Several examples processed together, one per row of a matrix. See
#   also mini-batch.
# - **Bias** (01). A number a neuron adds to its weighted sum. It sets the neuron's threshold:
#   how large the weighted sum must be before the neuron lights up.
# - **BPE, byte-pair encoding** (06). A way to cut text into tokens. It starts from the 256
#   possible bytes and keeps merging the most frequent neighbouring pair into a new token, so
#   common words become single tokens and any text can still be written.
# - **Causal mask** (07). The rule that a token may only look at itself and the tokens
#   before it, never at later ones. It lets the model learn to predict the next token
#   without seeing it.
# - **Chain rule** (04). The rule that the slopes of steps done one after the other
#   multiply. It is the whole mathematics behind backpropagation.
# - **Computation graph** (05). The record of how a result was computed: every number is a
#   node, connected to the numbers it was made from. Autograd walks it backwards.
# - **Convolutional network** (07, named only). A network for images that slides one small
#   set of weights across the whole picture, so a pattern is found wherever it appears.
# - **Cosine similarity** (06). A measure of how closely two vectors point the same way: 1
#   for the same direction, 0 at a right angle, −1 for opposite directions.
# - **Cost, or loss** (02). One number that says how wrong a network's answers are, averaged
#   over the training examples. Learning means making it small.
# - **Cross-entropy** (02). The usual cost for choosing between classes: minus the logarithm
#   of the probability the network gives to the right answer. It is 0 when the network is
#   sure and right, and grows without limit when it is sure and wrong.

# %% [markdown]
# ## D to L
#
# - **Deep learning** (00, 01). Machine learning with neural networks of many layers. The
#   "deep" refers to the number of layers.
# - **Embedding** (06). The vector of numbers that stands for a token. The embeddings are the
#   rows of a matrix with one row per token, and they are learned like any other weights.
# - **Epoch** (03). One pass over all the training examples, usually in mini-batches.
# - **Fine-tuning** (08). Training a model that is already trained some more, on a smaller
#   and more specific set of examples, for example to turn a text predictor into a chat
#   assistant.
# - **Finite difference** (02, 03). A slope measured instead of derived: nudge the input a
#   tiny step h both ways and divide the change in the output by 2h. The book uses it to
#   check every exact slope and gradient.
# - **GPT, generative pretrained transformer** (08). A transformer trained to predict the next
#   token of text, which can then write text one token at a time. The book ends by training
#   a small one on Shakespeare.
# - **Gradient** (03). The list of all partial derivatives of the cost, one per parameter. It
#   points in the direction in which the cost rises fastest.
# - **Gradient descent** (03). Learning by small steps: compute the gradient, move every
#   parameter a little against it, and repeat.
# - **Hallucination** (04, 08). A confident answer with no basis in the input: the digit
#   network sure that pure noise is a 2 (chapter 04), or a language model's fluent text that
#   is false. A model trained only to predict likely text has no notion of true text, which
#   chapter 08's GPT shows when it invents names and words.
# - **Head** (07). One attention computation with its own queries, keys and values. A layer
#   runs several heads side by side, so that each can look for something different.
# - **Hidden layer** (01). A layer between the input and the output. We never set or read its
#   activations directly.
# - **Hyperparameter** (03). A number we choose rather than learn, such as the learning rate,
#   the batch size or the number of layers.
# - **Label** (00, 02). The correct answer that comes with a training example, such as the
#   digit a picture shows.
# - **Language model** (06). A function that reads the text so far and gives every possible
#   next token a probability. Writing with it means drawing a token, appending it and asking
#   again.
# - **Layer** (01). A group of neurons that all read the same inputs. A layer computes
#   f(W x + b) with one weight matrix W and one bias vector b.
# - **Layer norm** (07, 08). A step that rescales each token's vector to mean 0 and spread 1,
#   then applies a learned scale and shift, so the numbers stay in a steady range through
#   many blocks.
# - **Learning rate** (03). The number α (`lr` in code) that sets how long each step of
#   gradient descent is. Too small creeps; too large overshoots or blows up.
# - **Local derivative** (05). How much one operation's result moves when one of its inputs
#   moves a little: b and a for a·b, 1 − tanh²(a) for tanh(a). The backward pass multiplies
#   them along every path.
# - **Local minimum** (03). A point lower than everything near it, though perhaps not the
#   lowest point of all (the global minimum). Gradient descent stops in the one whose valley
#   it starts in.
# - **Logits** (02). The raw scores of a network's output layer before softmax turns them
#   into probabilities. They can be any real numbers.

# %% [markdown]
# ## M to R
#
# - **Machine learning** (00). Making a program learn a task from examples, instead of
#   writing its rules by hand.
# - **Mini-batch** (03). A small random sample of the training examples. Its average
#   gradient is a cheap, noisy estimate of the full gradient.
# - **MLP, multilayer perceptron** (01, 07). A network of fully connected layers, each
#   neuron reading every neuron of the layer before. The 784-16-16-10 digit network is one,
#   and every block of a GPT contains a small one.
# - **Momentum** (03). A change to gradient descent that steps along a running sum of recent
#   gradients, so that steps in a steady direction grow while zigzags cancel out.
# - **MSE, mean squared error** (02). The cost that squares the difference between each
#   output and its target, adds the squares and averages them over the examples.
# - **Neuron** (01). The smallest part of a network: it holds one number, its activation,
#   computed from a weighted sum of the activations before it, plus a bias, passed through
#   an activation function.
# - **One-hot vector** (02). A vector of zeros with a single 1, at the position of the class
#   it stands for. It is how a label is written as the output we would like to see.
# - **Overfitting** (04). When a network learns its training examples so well, noise
#   included, that it gets better on them while getting worse on examples it has not seen.
# - **Parameter** (01). A number the network learns: every weight and every bias.
# - **Partial derivative** (03). The slope of a function of several numbers when only one of
#   them is nudged and the others are held fixed. The gradient lists them all.
# - **Perceptron** (01). The first artificial neuron, from 1958: a weighted sum and a bias
#   followed by a step function. Its name lives on in "multilayer perceptron".
# - **Pretraining** (08). The first, long stage of training a language model: predicting
#   the next token on a large amount of raw text. The result is a pretrained model.
# - **Query, key and value** (07). The three vectors attention makes from each token. A
#   query says what the token is looking for, a key what it offers, and a value what it
#   passes on when it is chosen; query times key gives the score.
# - **Recurrent network** (07). A network that reads a sequence one step at a time and
#   carries a memory from step to step. Transformers replaced it for most language tasks.
# - **ReLU, rectified linear unit** (01). The activation function max(0, z): zero for
#   negative inputs and the input itself for positive ones.
# - **Residual connection** (08). Adding a block's input to its output, x + f(x), so that
#   each block only adds a change to the vector and gradients have a direct path back.

# %% [markdown]
# ## S to Z
#
# - **SGD, stochastic gradient descent** (03). Gradient descent in which each step uses the
#   gradient of a random mini-batch instead of the whole training set.
# - **Sigmoid** (01). The activation function 1 / (1 + e^(−z)), which squishes any number
#   smoothly into the range between 0 and 1.
# - **Softmax** (02). The function that turns a list of scores into probabilities: raise e to
#   each score and divide by the total, so the results are positive and add up to 1.
# - **Supervised learning** (00). Learning from examples that come with their correct
#   answers (labels), such as pictures of digits together with the digit each one shows.
# - **tanh** (05). An activation function shaped like the sigmoid, but running from −1 to 1
#   instead of from 0 to 1.
# - **Temperature** (08). A number that divides the scores before sampling the next token.
#   Low temperatures make the likeliest token win almost always; high ones spread the
#   chances more evenly.
# - **Test set** (01, 04). Examples set aside and never used for training or for choosing
#   settings, on which we measure a finished network once, to learn how well it does on
#   data it has not seen.
# - **Token** (06). One piece of text as the model sees it: a character, a word or a part of
#   a word, with an integer id.
# - **Top-k** (08). A sampling rule that keeps only the k likeliest next tokens and draws
#   among them.
# - **Topological order** (05). An order of the nodes of a computation graph in which every
#   node comes after all the nodes it was made from. Walked backwards, it lets the backward
#   pass finish each node's gradient before using it.
# - **Training set** (02). The examples a network learns from.
# - **Transformer** (07, 08). The kind of network GPT is: a stack of blocks, each made of an
#   attention step, in which tokens exchange information, and an MLP, which works on each
#   token alone.
# - **Underfitting** (00; shown in 04). When a network cannot fit even its training examples
#   well, usually because it is too small or trained too briefly. Chapter 04's network with
#   only 4 hidden neurons is an example.
# - **Unembedding** (08). The last matrix of a GPT: it turns each position's final vector
#   into one score (logit) per token of the vocabulary.
# - **Validation set** (04). Examples held out from training that we use while building a
#   model, for example to compare settings, so that the test set stays untouched until the
#   end. Chapters 06 to 08 measure their language models on held-out text the same way.
# - **Vanishing gradient** (named in 01, shown in 04). The problem that in a deep network the
#   gradient can shrink layer after layer until the early layers hardly learn.
# - **Vocabulary** (06). The list of all tokens a tokenizer can produce, numbered from 0;
#   its size is V.
# - **Weight** (01). A number on the connection between two neurons that says how much, and
#   in which direction, one neuron's activation counts in the other's weighted sum.
